"""Pages of the register: the awards of a year, a person's and a collective's awards across the years and the
ceremony list — all scoped to the reader's units (the movements and registrations: views_movements)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from dieuhanh.commendations import exports
from dieuhanh.commendations.exports import award_rows
from dieuhanh.commendations.models import AwardKind, Person
from dieuhanh.commendations.selectors import awards_in_scope, register_of, register_units, year_summary
from dieuhanh.commendations.views import XLSX, _download
from dieuhanh.reporting.completeness import local_today


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or local_today().year)
    except ValueError as exc:
        raise Http404 from exc
    if not 1990 <= year <= 2100:
        raise Http404
    return year


def _reasons(rows) -> list[str]:
    return sorted({row["reason"] for row in rows if row["reason"]})


@login_required
def register(request):
    year = _year(request)
    awards = awards_in_scope(request.user).filter(year=year).select_related(
        "decision__authority", "person__unit", "unit__parent")
    kind_code = request.GET.get("kind", "")
    if kind_code:
        awards = awards.filter(kind__code=kind_code)
    years = sorted(set(awards_in_scope(request.user).values_list("year", flat=True)) | {year}, reverse=True)
    ordered = [a for _group, members in exports.ceremony_order(awards) for a in members]
    rows = award_rows(ordered)
    return render(request, "commendations/register.html", {
        "year": year, "years": years, "rows": rows, "reasons": _reasons(rows),
        "kinds": AwardKind.objects.order_by("name"),
        "kind_code": kind_code, "summary": year_summary(year, register_units(request.user))})


@login_required
def ceremony_xlsx(request):
    year = _year(request)
    awards = awards_in_scope(request.user).filter(year=year).select_related(
        "decision__authority", "person__unit", "unit__parent")
    title = f"Khen thưởng thành tích năm {year}"
    return _download(exports.ceremony_xlsx(awards, title=title), f"danh-sach-khen-thuong-hoi-nghi-{year}.xlsx", XLSX)


@login_required
def person_register(request, pk: int):
    person = Person.objects.filter(pk=pk, unit__in=register_units(request.user)).select_related("unit").first()
    if person is None:
        raise Http404
    awards = register_of(person=person).select_related("decision__authority", "person__unit")
    return render(request, "commendations/recipient_register.html", {
        "person": person, "name": person.full_name, "rows": award_rows(awards), "reasons": _reasons(award_rows(awards)),
        "nominations": person.nominations.select_related("round", "kind").order_by("-year", "-id")})


@login_required
def unit_register(request, code: str):
    unit = register_units(request.user).filter(code=code).first()
    if unit is None:
        raise Http404
    awards = register_of(unit=unit).select_related("decision__authority", "unit__parent")
    people = Person.objects.filter(unit=unit).order_by("full_name")
    return render(request, "commendations/recipient_register.html", {
        "unit": unit, "name": unit.name, "rows": award_rows(awards), "reasons": _reasons(award_rows(awards)),
        "people": people,
        "nominations": unit.nominated.select_related("round", "kind").order_by("-year", "-id")})

