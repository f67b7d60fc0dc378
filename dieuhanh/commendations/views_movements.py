"""Pages of the emulation work of the year: movements launched by the council's secretariat, the yearly
registrations (đăng ký thi đua) of units and people, and the people a unit keeps (the members a collective's
evidence counts).

Who may do what reuses the nomination workflow's rules (selectors_nominations): the secretariat (who opens rounds)
launches movements; the staff who may propose for a unit's subtree register it and its people and keep its list
of people. A unit or person outside that scope answers 404.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dieuhanh.accounts.models import RoleAssignment
from dieuhanh.accounts.selectors import READ_ROLES, units_in_scope
from dieuhanh.assignments.views_tasks import apply_errors
from dieuhanh.commendations.forms import (
    REGISTRANT_PERSON,
    MovementForm,
    PersonForm,
    PersonLeaveForm,
    PersonUpdateForm,
    RegistrationForm,
)
from dieuhanh.commendations.models import AwardKind, EmulationMovement, EmulationRegistration, Person
from dieuhanh.commendations.selectors_nominations import (
    _ancestor_paths,
    proposing_units,
    secretariat_units,
)
from dieuhanh.commendations.services import (
    movement_create,
    person_create,
    person_leave,
    person_update,
    registration_create,
)
from dieuhanh.commendations.views_register import _year
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.completeness import local_today


def movements_for(user) -> QuerySet[EmulationMovement]:
    """Movements launched in the reader's scope or by a unit above it: the province's yearly movement reaches
    its departments, who register for it."""
    condition = Q(organiser__in=units_in_scope(user))
    if user.is_authenticated and user.is_active and not user.is_superuser:
        roots = RoleAssignment.objects.filter(user=user, role__in=READ_ROLES).values_list("orgunit__path", flat=True)
        above = _ancestor_paths(list(roots))
        if above:
            condition |= Q(organiser__path__in=above)
    return EmulationMovement.objects.filter(condition).select_related("organiser")


def _titles_of(year: int) -> QuerySet[AwardKind]:
    """The emulation titles in force at some time in `year` (a registration aims at the year's titles)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (AwardKind.objects.filter(category=AwardKind.Category.TITLE)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
            .order_by("recipient", "-rank", "name"))


def _root_of(units: QuerySet[OrgUnit]) -> list[OrgUnit]:
    """The topmost units of a scope (those whose parent is outside it): where a unit's people list starts."""
    found = list(units.order_by("path"))
    roots: list[OrgUnit] = []
    for unit in found:
        if not any(unit.path.startswith(r.path) for r in roots):
            roots.append(unit)
    return roots


@login_required
def movements(request):
    year = _year(request)
    scope = units_in_scope(request.user)
    registrations = (EmulationRegistration.objects.filter(Q(unit__in=scope) | Q(person__unit__in=scope), year=year)
                     .select_related("unit", "person", "person__unit", "movement", "created_by")
                     .prefetch_related("titles").order_by("-registered_on", "-id"))
    proposing = proposing_units(request.user)
    may_register = proposing.exists()
    return render(request, "commendations/movements.html", {
        "movements": movements_for(request.user), "registrations": registrations, "year": year,
        "may_launch": secretariat_units(request.user).exists(), "may_register": may_register,
        "people_units": _root_of(proposing)[:20] if may_register else []})


@login_required
@require_http_methods(["GET", "POST"])
def movement_new(request):
    organisers = secretariat_units(request.user).order_by("path")
    if not organisers.exists():
        raise Http404
    today = local_today()
    form = MovementForm(request.POST or None, organisers=organisers, initial={
        "organiser": organisers.first(), "start_date": datetime.date(today.year, 1, 1),
        "end_date": datetime.date(today.year, 12, 31)})
    if request.method == "POST" and form.is_valid():
        try:
            movement = movement_create(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Movement %(name)s launched.") % {"name": movement.name})
            return redirect(f"{reverse('commendations:movements')}?year={movement.start_date.year}")
    return render(request, "commendations/movement_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def registration_new(request):
    units = proposing_units(request.user).order_by("path")
    if not units.exists():
        raise Http404
    year = _year(request)
    if request.method == "POST":
        try:
            year = int(request.POST.get("year") or year)
        except ValueError:
            pass  # the form says the year is wrong
    people = Person.objects.filter(unit__in=units, left_on__isnull=True).select_related("unit").order_by(
        "unit__path", "full_name")
    movements_open = movements_for(request.user).filter(start_date__year__lte=year).filter(
        Q(end_date__isnull=True) | Q(end_date__year__gte=year)).order_by("-start_date", "name")
    initial = {"year": year, "registered_on": local_today(), "unit": units.first()}
    if request.GET.get("person"):
        initial.update({"registrant": REGISTRANT_PERSON, "person": people.filter(pk=request.GET["person"]).first()
                        if request.GET["person"].isdigit() else None})
    form = RegistrationForm(request.POST or None, units=units, people=people, titles=_titles_of(year),
                            movements=movements_open, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_person = data["registrant"] == REGISTRANT_PERSON
        try:
            registration_create(year=data["year"], titles=data["titles"], registered_on=data["registered_on"],
                                person=data["person"] if by_person else None,
                                unit=None if by_person else data["unit"], movement=data.get("movement"),
                                note=(data.get("note") or "").strip(), by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            name = data["person"].full_name if by_person else data["unit"].name
            messages.success(request, _("Registration of %(name)s for %(year)s recorded.")
                             % {"name": name, "year": data["year"]})
            return redirect(f"{reverse('commendations:movements')}?year={data['year']}")
    return render(request, "commendations/registration_form.html", {"form": form, "year": year},
                  status=400 if request.method == "POST" else 200)


@login_required
def people_home(request):
    """The people page of the first unit the user keeps, or of `?unit=CODE`."""
    units = proposing_units(request.user)
    code = request.GET.get("unit")
    unit = units.filter(code=code).first() if code else next(iter(_root_of(units)), None)
    if unit is None:
        raise Http404
    return redirect("commendations:unit_people", unit.code)


@login_required
@require_http_methods(["GET", "POST"])
def unit_people(request, code: str):
    scope = proposing_units(request.user)
    unit = scope.filter(code=code).first()
    if unit is None:
        raise Http404
    subtree = scope.filter(path__startswith=unit.path).order_by("path")
    form = PersonForm(request.POST or None, units=subtree, initial={"unit": unit})
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s added to %(unit)s.") % {"name": person.full_name,
                                                                           "unit": person.unit.name})
            return redirect("commendations:unit_people", unit.code)
    show_left = request.GET.get("left") == "1"
    people = Person.objects.filter(unit__path__startswith=unit.path).select_related("unit").order_by(
        "unit__path", "full_name")
    left_count = people.filter(left_on__isnull=False).count()
    if not show_left:
        people = people.filter(left_on__isnull=True)
    return render(request, "commendations/unit_people.html", {
        "unit": unit, "people": people, "form": form, "show_left": show_left, "left_count": left_count,
        "units": _root_of(scope)[:20] if len(_root_of(scope)) > 1 else []},
        status=400 if request.method == "POST" else 200)


def _kept_person_or_404(request, pk: int) -> tuple[Person, QuerySet[OrgUnit]]:
    scope = proposing_units(request.user)
    person = Person.objects.filter(pk=pk, unit__in=scope).select_related("unit").first()
    if person is None:
        raise Http404
    return person, scope


def _person_page(request, person, scope, *, form=None, leave_form=None, status=200):
    form = form or PersonUpdateForm(units=scope.order_by("path"), initial={
        "unit": person.unit, "position": person.position, "gender": person.gender})
    leave_form = leave_form or PersonLeaveForm(initial={"left_on": local_today()})
    return render(request, "commendations/person_edit.html",
                  {"person": person, "form": form, "leave_form": leave_form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person, scope = _kept_person_or_404(request, pk)
    if request.method == "GET":
        return _person_page(request, person, scope)
    form = PersonUpdateForm(request.POST, units=scope.order_by("path"))
    if form.is_valid():
        try:
            person_update(person=person, **form.cleaned_data)
        except ValidationError as exc:
            person.refresh_from_db()
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s updated.") % {"name": person.full_name})
            return redirect("commendations:unit_people", person.unit.code)
    return _person_page(request, person, scope, form=form, status=400)


@login_required
@require_POST
def person_leave_view(request, pk: int):
    person, scope = _kept_person_or_404(request, pk)
    form = PersonLeaveForm(request.POST)
    if form.is_valid():
        try:
            person_leave(person=person, left_on=form.cleaned_data["left_on"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is marked as having left the unit on %(day)s.") % {
                "name": person.full_name, "day": form.cleaned_data["left_on"].strftime("%d/%m/%Y")})
            return redirect("commendations:unit_people", person.unit.code)
    return _person_page(request, person, scope, leave_form=form, status=400)
