"""Writes of the nomination workflow: rounds, nominations, the council's vote and the decision granting the passed
nominations as awards of the register. Each write is atomic: a decision whose one award is refused records
nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.commendations.evidence import evidence_as_data, evidence_compute
from dieuhanh.commendations.models import (
    Authority,
    Award,
    AwardKind,
    Decision,
    EmulationMovement,
    Nomination,
    Person,
    Round,
)
from dieuhanh.commendations.selectors import vote_threshold_on
from dieuhanh.commendations.services import _duplicate_message, _same_achievement, award_record, decision_create
from dieuhanh.orgunits.models import OrgUnit

LIVE = (Nomination.State.PROPOSED, Nomination.State.PASSED)


@transaction.atomic
def round_create(*, name: str, year: int, authority: Authority, organiser: OrgUnit,
                 nominations_due: datetime.date | None = None, by=None) -> Round:
    round_ = Round(name=" ".join((name or "").split()), year=year, authority=authority, organiser=organiser,
                   nominations_due=nominations_due, created_by=by)
    round_.full_clean()
    round_.save()
    return round_


def _check_nomination(n: Nomination) -> None:
    kind, round_ = n.kind, n.round
    if round_.closed:
        raise ValidationError({"round": _("The round %(round)s is closed.") % {"round": round_.name}})
    recipient_unit = n.unit if n.unit is not None else n.person.unit
    if not recipient_unit.path.startswith(n.proposer.path):
        raise ValidationError({"person" if n.person is not None else "unit": _(
            "%(name)s is not in %(unit)s: a unit proposes people and collectives of its own.") % {
            "name": str(n.person or n.unit), "unit": n.proposer.name}})
    if n.person is not None and n.person.left_on is not None and n.person.left_on <= datetime.date(n.year, 1, 1):
        raise ValidationError({"person": _("%(name)s left the unit on %(day)s.") % {
            "name": n.person.full_name, "day": n.person.left_on.strftime("%d/%m/%Y")}})
    wanted = AwardKind.Recipient.INDIVIDUAL if n.person is not None else AwardKind.Recipient.COLLECTIVE
    if kind.recipient != wanted:
        message = (_("%(kind)s is given to collectives, not to a person.") if n.person is not None
                   else _("%(kind)s is given to individuals, not to a collective."))
        raise ValidationError({"kind": message % {"kind": kind.name}})
    if kind.authorities.exists() and not kind.authorities.filter(pk=round_.authority_id).exists():
        raise ValidationError({"kind": _("%(authority)s does not grant %(kind)s.")
                               % {"authority": round_.authority.name, "kind": kind.name}})
    if (kind.category == AwardKind.Category.TITLE) != (n.achievement == Award.Achievement.TITLE):
        raise ValidationError({"achievement": _("An emulation title rewards the year's emulation; a form of "
                                                "commendation rewards another achievement.")})
    if n.achievement == Award.Achievement.CAMPAIGN and n.movement is None:
        raise ValidationError({"movement": _("Name the emulation movement the achievement belongs to.")})
    if n.achievement == Award.Achievement.AD_HOC and not n.achievement_note:
        raise ValidationError({"achievement_note": _("Say which ad hoc achievement is rewarded.")})


def _same_live_nomination(n: Nomination) -> Nomination | None:
    found = Nomination.objects.filter(person=n.person, unit=n.unit, year=n.year, state__in=LIVE).select_related(
        "round", "kind")
    if n.pk:
        found = found.exclude(pk=n.pk)
    if n.achievement == Award.Achievement.TITLE:
        return found.filter(kind=n.kind, achievement=n.achievement).first()
    return found.filter(achievement=n.achievement, movement=n.movement, achievement_note=n.achievement_note).first()


@transaction.atomic
def nomination_create(*, round: Round, proposer: OrgUnit, kind: AwardKind, achievement: str,  # noqa: A002
                      person: Person | None = None, unit: OrgUnit | None = None, year: int | None = None,
                      movement: EmulationMovement | None = None, achievement_note: str = "", summary: str = "",
                      by=None) -> Nomination:
    """A unit proposes one of its people or collectives for `kind` in `round`. One achievement earns one form only:
    refused when the register or a live nomination already holds it."""
    if (person is None) == (unit is None):
        raise ValidationError({"person": _("Choose either a person or a collective.")})
    nomination = Nomination(round=round, proposer=proposer, kind=kind, person=person, unit=unit,
                            year=year or round.year, achievement=achievement, movement=movement,
                            achievement_note=" ".join(achievement_note.split()), summary=summary.strip(),
                            created_by=by)
    _check_nomination(nomination)
    probe = Award(kind=kind, person=person, unit=unit, year=nomination.year, achievement=achievement,
                  movement=movement, achievement_note=nomination.achievement_note)
    existing = _same_achievement(probe)
    if existing is not None:
        raise ValidationError({"kind": _duplicate_message(existing)})
    twin = _same_live_nomination(nomination)
    if twin is not None:
        raise ValidationError({"kind": _("One achievement earns one form only: %(name)s is already proposed for "
                                         "%(kind)s for this achievement of %(year)s (round %(round)s).") % {
            "name": str(person or unit), "kind": twin.kind.name, "year": twin.year, "round": twin.round.name}})
    nomination.full_clean()
    nomination.save()
    return nomination


@transaction.atomic
def nomination_vote(*, nomination: Nomination, members_total: int, members_present: int, votes_for: int,
                    voted_on: datetime.date, chair_approves: bool | None = None, note: str = "", by=None,
                    today: datetime.date | None = None) -> Nomination:
    """Record the council's vote on `nomination` and freeze its evidence as the council saw it.

    Votes are counted out of all members (absent members vote in writing, NĐ 98/2023 Điều 30.7). A kind with a
    threshold passes by it; a kind without one has no rule to apply, so the chair's decision (recorded here)
    stands and the page says "no threshold set"."""
    nomination = Nomination.objects.select_for_update().select_related("kind").get(pk=nomination.pk)
    if nomination.state != Nomination.State.PROPOSED:
        raise ValidationError({"votes_for": _("The council has already voted on this nomination.")})
    if members_total is None or members_total < 1:
        raise ValidationError({"members_total": _("The council has at least one member.")})
    if members_present is None or not 0 <= members_present <= members_total:
        raise ValidationError({"members_present": _("Members present: between 0 and %(n)s.") % {"n": members_total}})
    if votes_for is None or not 0 <= votes_for <= members_total:
        raise ValidationError({"votes_for": _("Votes for: between 0 and the %(n)s members (absent members vote in "
                                              "writing).") % {"n": members_total}})
    threshold = vote_threshold_on(nomination.kind, voted_on)
    if threshold is not None:
        passes = threshold.passes(votes_for=votes_for, members=members_total)
        nomination.threshold_percent = threshold.percent
        nomination.chair_approves = None
    else:
        if chair_approves is None:
            raise ValidationError({"chair_approves": _("No threshold is set for %(kind)s: record the chair's "
                                                       "decision.") % {"kind": nomination.kind.name}})
        passes = chair_approves
        nomination.threshold_percent = None
        nomination.chair_approves = chair_approves
    nomination.members_total, nomination.members_present, nomination.votes_for = (members_total, members_present,
                                                                                   votes_for)
    nomination.voted_on, nomination.voted_by, nomination.vote_note = voted_on, by, note.strip()
    nomination.evidence = evidence_as_data(evidence_compute(nomination, today=today))
    nomination.evidence_frozen_at = timezone.now()
    nomination.state = Nomination.State.PASSED if passes else Nomination.State.REJECTED
    nomination.full_clean()
    nomination.save()
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, by=None) -> Nomination:
    if nomination.state != Nomination.State.PROPOSED:
        raise ValidationError({"state": _("Only a nomination not yet voted on can be withdrawn.")})
    nomination.state = Nomination.State.WITHDRAWN
    nomination.save(update_fields=["state"])
    return nomination


@transaction.atomic
def decision_grant(*, round: Round, number: str, date: datetime.date, signer_name: str,  # noqa: A002
                   nominations: Iterable[Nomination], signer_position: str = "", excerpt: str = "",
                   by=None) -> Decision:
    """The authority's decision granting passed nominations of `round`: one award each in the register, its reward
    as on the decision's date. Nothing is recorded when one of them is refused."""
    # Lock the nominations only: PostgreSQL refuses FOR UPDATE on the nullable side of the joins.
    chosen = list(Nomination.objects.select_for_update(of=("self",)).filter(
        pk__in=[n.pk for n in nominations]).select_related("kind", "person", "unit", "movement"))
    if not chosen:
        raise ValidationError({"nominations": _("Choose the nominations the decision grants.")})
    for n in chosen:
        if n.round_id != round.pk or n.state != Nomination.State.PASSED:
            raise ValidationError({"nominations": _("%(name)s (%(kind)s) has not been passed by the council in "
                                                    "this round.") % {"name": str(n.recipient), "kind": n.kind.name}})
    if not signer_name or not signer_name.strip():
        raise ValidationError({"signer_name": _("Enter who signed the decision.")})
    decision = decision_create(number=number, date=date, authority=round.authority, issuer=round.organiser,
                               signer_name=signer_name, signer_position=signer_position, excerpt=excerpt, by=by)
    for n in sorted(chosen, key=lambda n: n.pk):
        try:
            award = award_record(decision=decision, kind=n.kind, year=n.year, achievement=n.achievement,
                                 person=n.person, unit=n.unit, movement=n.movement,
                                 achievement_note=n.achievement_note, by=by)
        except ValidationError as error:
            messages = error.messages
            raise ValidationError({"nominations": messages}) from error
        n.award, n.state = award, Nomination.State.GRANTED
        n.save(update_fields=["award", "state"])
    return decision
