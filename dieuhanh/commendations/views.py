"""Pages of the nomination workflow: rounds, nominations with their evidence, the council's vote, decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dieuhanh.assignments.views_tasks import apply_errors
from dieuhanh.commendations import exports
from dieuhanh.commendations.evidence import evidence_counts, evidence_of
from dieuhanh.commendations.forms import (
    RECIPIENT_NEW_PERSON,
    RECIPIENT_PERSON,
    DecisionForm,
    NominationForm,
    RoundForm,
    VoteForm,
)
from dieuhanh.commendations.models import AwardKind, Nomination
from dieuhanh.commendations.selectors import register_units, vote_threshold_on
from dieuhanh.commendations.selectors_nominations import (
    decisions_for,
    is_secretariat,
    may_propose_in,
    nomination_or_404,
    nominations_for,
    proposing_units,
    round_or_404,
    rounds_for,
    secretariat_units,
)
from dieuhanh.commendations.services import person_create
from dieuhanh.commendations.services_nominations import (
    decision_grant,
    nomination_create,
    nomination_vote,
    nomination_withdraw,
    round_create,
)
from dieuhanh.lib.vnformat import format_number
from dieuhanh.reporting.completeness import local_today

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def round_list(request):
    organisers = secretariat_units(request.user)
    may_create = organisers.exists()
    form = None
    if may_create:
        form = RoundForm(request.POST or None, organisers=organisers, initial={"year": local_today().year})
        if request.method == "POST" and form.is_valid():
            try:
                created = round_create(**form.cleaned_data, by=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Round created."))
                return redirect("commendations:round_detail", created.pk)
    elif request.method == "POST":
        raise Http404
    rounds = list(rounds_for(request.user).order_by("-year", "-created_at"))
    for r in rounds:
        r.counts = {state: 0 for state in Nomination.State.values}
        for state in r.nominations.values_list("state", flat=True):
            r.counts[state] += 1
    return render(request, "commendations/round_list.html", {"rounds": rounds, "form": form})


@login_required
def round_detail(request, pk: int):
    round_ = round_or_404(request.user, pk)
    today = local_today()
    rows = []
    for nomination in nominations_for(request.user, round_):
        items = evidence_of(nomination, today=today)
        rows.append({"n": nomination, "counts": evidence_counts(items)})
    secretariat = is_secretariat(request.user, round_.organiser)
    passed = any(row["n"].state == Nomination.State.PASSED for row in rows)
    return render(request, "commendations/round_detail.html", {
        "round": round_, "rows": rows, "may_propose": may_propose_in(request.user, round_),
        "secretariat": secretariat, "may_decide": secretariat and passed,
        "decisions": decisions_for(request.user).filter(awards__nomination__round=round_).distinct()})


def _kinds_for(round_):
    return AwardKind.objects.filter(Q(authorities=round_.authority) | Q(authorities__isnull=True)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=local_today())).distinct().order_by("recipient", "category",
                                                                                       "-rank")


@login_required
@require_http_methods(["GET", "POST"])
def nomination_new(request, pk: int):
    round_ = round_or_404(request.user, pk)
    if not may_propose_in(request.user, round_):
        raise Http404
    units = proposing_units(request.user).filter(path__startswith=round_.organiser.path).order_by("path")
    form = NominationForm(request.POST or None, units=units, kinds=_kinds_for(round_),
                          initial={"proposer": units.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = _propose(request, round_, data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Nomination recorded."))
            return redirect("commendations:nomination_detail", nomination.pk)
    return render(request, "commendations/nomination_form.html", {"round": round_, "form": form})


def _propose(request, round_, data) -> Nomination:
    with transaction.atomic():  # a new person is kept only with their nomination
        person = unit = None
        if data["recipient"] == RECIPIENT_PERSON:
            person = data["person"]
        elif data["recipient"] == RECIPIENT_NEW_PERSON:
            try:
                person = person_create(full_name=data["new_full_name"], unit=data["proposer"],
                                       position=data.get("new_position") or "")
            except ValidationError as exc:
                raise ValidationError({"new_full_name": exc.messages}) from exc
        else:
            unit = data["unit"]
        return nomination_create(round=round_, proposer=data["proposer"], kind=data["kind"], person=person,
                                 unit=unit, achievement=data["achievement"], movement=data.get("movement"),
                                 achievement_note=data.get("achievement_note") or "",
                                 summary=data.get("summary") or "", by=request.user)


def _nomination_context(request, nomination, vote_form=None):
    round_ = nomination.round
    secretariat = is_secretariat(request.user, round_.organiser)
    threshold = vote_threshold_on(nomination.kind, local_today())
    if vote_form is None and secretariat and nomination.state == Nomination.State.PROPOSED:
        vote_form = VoteForm()
    items = evidence_of(nomination)
    proposer_staff = proposing_units(request.user).filter(pk=nomination.proposer_id).exists()
    return {"n": nomination, "round": round_, "items": items, "counts": evidence_counts(items),
            "vote_form": vote_form, "threshold": threshold, "secretariat": secretariat,
            "may_withdraw": proposer_staff and nomination.state == Nomination.State.PROPOSED}


@login_required
def nomination_detail(request, pk: int):
    nomination = nomination_or_404(request.user, pk)
    return render(request, "commendations/nomination_detail.html", _nomination_context(request, nomination))


@login_required
@require_POST
def nomination_vote_view(request, pk: int):
    nomination = nomination_or_404(request.user, pk)
    if not is_secretariat(request.user, nomination.round.organiser):
        raise Http404
    form = VoteForm(request.POST)
    if form.is_valid():
        try:
            nomination_vote(nomination=nomination, **form.cleaned_data, by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The council's vote is recorded; the evidence is kept as the council saw "
                                        "it."))
            return redirect("commendations:nomination_detail", nomination.pk)
    return render(request, "commendations/nomination_detail.html",
                  _nomination_context(request, nomination, vote_form=form), status=400)


@login_required
@require_POST
def nomination_withdraw_view(request, pk: int):
    nomination = nomination_or_404(request.user, pk)
    if not proposing_units(request.user).filter(pk=nomination.proposer_id).exists():
        raise Http404
    try:
        nomination_withdraw(nomination=nomination, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Nomination withdrawn."))
    return redirect("commendations:nomination_detail", nomination.pk)


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request, pk: int):
    round_ = round_or_404(request.user, pk)
    if not is_secretariat(request.user, round_.organiser):
        raise Http404
    passed = round_.nominations.filter(state=Nomination.State.PASSED).select_related("kind", "person", "unit")
    form = DecisionForm(request.POST or None, passed=passed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = decision_grant(round=round_, number=data["number"], date=data["date"],
                                      signer_name=data["signer_name"], signer_position=data["signer_position"],
                                      excerpt=data["excerpt"], nominations=data["nominations"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Decision %(number)s recorded with its awards.") % {
                "number": decision.number})
            return redirect("commendations:decision_detail", decision.pk)
    return render(request, "commendations/decision_form.html", {"round": round_, "form": form})


@login_required
def decision_list(request):
    decisions = decisions_for(request.user).order_by("-date", "number")
    return render(request, "commendations/decision_list.html", {"decisions": decisions})


def _decision_or_404(request, pk: int):
    return get_object_or_404(decisions_for(request.user), pk=pk)


@login_required
def decision_detail(request, pk: int):
    decision = _decision_or_404(request, pk)
    awards = exports.decision_awards(decision)
    rows = exports.award_rows(awards, openable=set(register_units(request.user).values_list("pk", flat=True)))
    total = sum(a.amount or 0 for a in awards)
    missing = any(a.amount is None for a in awards)
    total_text = f"{format_number(total, 0)} đ" + (" " + _("(without the awards marked —)") if missing else "")
    return render(request, "commendations/decision_detail.html",
                  {"decision": decision, "rows": rows, "total_text": total_text,
                   "reasons": sorted({row["reason"] for row in rows if row["reason"]})})


def _filename(decision, ext: str) -> str:
    return f"danh-sach-kem-theo-QD-{decision.number.replace('/', '-')}.{ext}"


@login_required
def decision_docx(request, pk: int):
    decision = _decision_or_404(request, pk)
    return _download(exports.decision_docx(decision), _filename(decision, "docx"), DOCX)


@login_required
def decision_xlsx(request, pk: int):
    decision = _decision_or_404(request, pk)
    return _download(exports.annex_xlsx(decision), _filename(decision, "xlsx"), XLSX)
