"""Writes of the commendation register: people, movements, registrations, decisions and awards.

The reward of an award is frozen when it is recorded: the multiple and the base salary in force on the decision's
date, the product rounded up to 10,000 đ (NĐ 152/2025 Điều 49), so a later change of either leaves past awards
as they were paid.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dieuhanh.commendations.models import (
    Authority,
    Award,
    AwardKind,
    Decision,
    EmulationMovement,
    EmulationRegistration,
    Person,
)
from dieuhanh.commendations.selectors import base_salary_on, multiple_on
from dieuhanh.lib.docnumbers import DocumentNumberError, normalise_document_number, parse_document_number
from dieuhanh.lib.vnformat import fold
from dieuhanh.orgunits.models import OrgUnit

ROUNDING_STEP = 10_000  # đồng


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def round_up_reward(value: Decimal) -> int:
    """Round a reward up to the next 10,000 đ: 702,000 → 710,000; 2,340,000 stays."""
    steps = (Decimal(value) / ROUNDING_STEP).to_integral_value(rounding=ROUND_CEILING)
    return int(steps) * ROUNDING_STEP


@dataclass(frozen=True)
class Reward:
    multiple: Decimal
    base_salary: int
    amount: int


def reward_for(*, kind: AwardKind, on: datetime.date) -> Reward | None:
    """The reward of `kind` for a decision dated `on`, or None when no multiple of it is in force then (forms
    without a cash reward, or decisions before the multiples' first date)."""
    multiple = multiple_on(kind, on)
    if multiple is None:
        return None
    salary = base_salary_on(on)
    if salary is None:
        raise ValidationError(_("No base salary is in force on %(day)s: add it under Base salaries.")
                              % {"day": _fmt(on)})
    return Reward(multiple=multiple.multiple, base_salary=salary.amount,
                  amount=round_up_reward(multiple.multiple * salary.amount))


@transaction.atomic
def person_create(*, full_name: str, unit: OrgUnit, position: str = "", gender: str = "", user=None) -> Person:
    full_name = " ".join((full_name or "").split())
    person = Person(full_name=full_name, unit=unit, position=position.strip(), gender=gender, user=user,
                    search_name=fold(full_name))
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, unit: OrgUnit, position: str = "", gender: str | None = None) -> Person:
    """Move a person to another unit or change their position (their name and past awards stay as they were)."""
    person.unit, person.position = unit, (position or "").strip()
    if gender is not None:
        person.gender = gender
    person.full_clean()
    person.save(update_fields=["unit", "position", "gender"])
    return person


@transaction.atomic
def person_leave(*, person: Person, left_on: datetime.date) -> Person:
    """Mark a person as having left the unit on `left_on`: they are kept (awards, nominations), but no longer
    counted among the collective's members after that day, nor offered for new registrations."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.left_on is not None:
        raise ValidationError({"left_on": _("%(name)s already left the unit on %(day)s.")
                               % {"name": person.full_name, "day": _fmt(person.left_on)}})
    if left_on is None:
        raise ValidationError({"left_on": _("Enter the day the person left the unit.")})
    person.left_on = left_on
    person.full_clean()
    person.save(update_fields=["left_on"])
    return person


@transaction.atomic
def movement_create(*, name: str, organiser: OrgUnit, start_date: datetime.date,
                    end_date: datetime.date | None = None, kind: str = EmulationMovement.Kind.REGULAR,
                    launch_document: str = "", description: str = "") -> EmulationMovement:
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    launch_document = (launch_document or "").strip()
    if launch_document:
        try:  # the plan or decision launching it, numbered by Decree 30 like every document
            launch_document = normalise_document_number(launch_document)
        except DocumentNumberError as error:
            raise ValidationError({"launch_document": str(error)}) from error
    movement = EmulationMovement(name=" ".join(name.split()), organiser=organiser, start_date=start_date,
                                 end_date=end_date, kind=kind, launch_document=launch_document,
                                 description=description)
    movement.full_clean()
    movement.save()
    return movement


def _check_recipient(person: Person | None, unit: OrgUnit | None) -> None:
    if (person is None) == (unit is None):
        raise ValidationError({"person": _("Choose either a person or a collective.")})


@transaction.atomic
def registration_create(*, year: int, titles: Iterable[AwardKind], registered_on: datetime.date,
                        person: Person | None = None, unit: OrgUnit | None = None,
                        movement: EmulationMovement | None = None, note: str = "", by=None) -> EmulationRegistration:
    _check_recipient(person, unit)
    titles = list(titles)
    if not titles:
        raise ValidationError({"titles": _("Choose at least one title to register for.")})
    wanted = AwardKind.Recipient.INDIVIDUAL if person is not None else AwardKind.Recipient.COLLECTIVE
    wrong = [t.name for t in titles if t.category != AwardKind.Category.TITLE or t.recipient != wanted]
    if wrong:
        raise ValidationError({"titles": _("Not a title for this registrant: %(names)s.")
                               % {"names": ", ".join(wrong)}})
    if movement is not None and not (movement.start_date.year <= year <= (movement.end_date or datetime.date.max).year):
        raise ValidationError({"movement": _("The movement %(name)s does not run in %(year)s.")
                               % {"name": movement.name, "year": year}})
    if person is not None and person.left_on is not None and person.left_on.year < year:
        raise ValidationError({"person": _("%(name)s left the unit on %(day)s.")
                               % {"name": person.full_name, "day": _fmt(person.left_on)}})
    registration = EmulationRegistration(year=year, person=person, unit=unit, movement=movement,
                                         registered_on=registered_on, note=note, created_by=by)
    registration.full_clean()
    registration.save()
    registration.titles.set(titles)
    return registration


@transaction.atomic
def decision_create(*, number: str, date: datetime.date, authority: Authority, issuer: OrgUnit, signer_name: str,
                    signer_position: str = "", excerpt: str = "", by=None) -> Decision:
    try:
        parsed = parse_document_number(number)
    except DocumentNumberError as error:
        raise ValidationError({"number": str(error)}) from error
    if parsed.type_code != "QĐ":
        raise ValidationError({"number": _("A commendation is granted by a decision: its number reads …/QĐ-….")})
    normalised = f"{parsed.order:02d}/{f'{parsed.year}/' if parsed.year else ''}QĐ-{parsed.issuer}"
    # Numbers restart every 1 January (Decree 30), so a number is unique within its year only.
    if Decision.objects.filter(number=normalised, date__year=date.year).exists():
        raise ValidationError({"number": _("Decision %(number)s of %(year)s is already recorded.")
                               % {"number": normalised, "year": date.year}})
    decision = Decision(number=normalised, date=date, authority=authority, issuer=issuer,
                        signer_name=" ".join(signer_name.split()), signer_position=signer_position.strip(),
                        excerpt=excerpt.strip(), created_by=by)
    decision.full_clean()
    decision.save()
    return decision


def _same_achievement(award: Award) -> Award | None:
    """The award already in the register for the same achievement (for a title: the same title and year)."""
    found = Award.objects.filter(person=award.person, unit=award.unit, year=award.year).select_related("decision",
                                                                                                      "kind")
    if award.achievement == Award.Achievement.TITLE:
        return found.filter(kind=award.kind, achievement=award.achievement).first()
    return found.filter(achievement=award.achievement, movement=award.movement,
                        achievement_note=award.achievement_note).first()


def _duplicate_message(existing: Award) -> str:
    values = {"name": str(existing.person or existing.unit), "kind": existing.kind.name, "year": existing.year,
              "number": existing.decision.number, "date": _fmt(existing.decision.date)}
    if existing.achievement == Award.Achievement.TITLE:
        return _("%(name)s already has the title %(kind)s for %(year)s (decision %(number)s of %(date)s).") % values
    return _("One achievement earns one form only: %(name)s already received %(kind)s for this achievement of "
             "%(year)s (decision %(number)s of %(date)s).") % values


def _check_award(award: Award) -> None:
    kind, decision = award.kind, award.decision
    wanted = AwardKind.Recipient.INDIVIDUAL if award.person is not None else AwardKind.Recipient.COLLECTIVE
    if kind.recipient != wanted:
        message = (_("%(kind)s is given to collectives, not to a person.") if award.person is not None
                   else _("%(kind)s is given to individuals, not to a collective."))
        raise ValidationError({"kind": message % {"kind": kind.name}})
    if not kind.is_active_on(decision.date):
        raise ValidationError({"kind": _("%(kind)s is not in force on the decision's date %(date)s.")
                               % {"kind": kind.name, "date": _fmt(decision.date)}})
    if kind.authorities.exists() and not kind.authorities.filter(pk=decision.authority_id).exists():
        raise ValidationError({"kind": _("%(authority)s does not grant %(kind)s.")
                               % {"authority": decision.authority.name, "kind": kind.name}})
    is_title = kind.category == AwardKind.Category.TITLE
    if is_title != (award.achievement == Award.Achievement.TITLE):
        raise ValidationError({"achievement": _("An emulation title rewards the year's emulation; a form of "
                                                "commendation rewards another achievement.")})
    if award.year > decision.date.year:
        raise ValidationError({"year": _("The achievement's year %(year)s is after the decision's date %(date)s.")
                               % {"year": award.year, "date": _fmt(decision.date)}})
    if award.achievement == Award.Achievement.CAMPAIGN and award.movement is None:
        raise ValidationError({"movement": _("Name the emulation movement the achievement belongs to.")})
    if award.achievement == Award.Achievement.AD_HOC and not award.achievement_note:
        raise ValidationError({"achievement_note": _("Say which ad hoc achievement is rewarded.")})


@transaction.atomic
def award_record(*, decision: Decision, kind: AwardKind, year: int, achievement: str, person: Person | None = None,
                 unit: OrgUnit | None = None, movement: EmulationMovement | None = None, achievement_note: str = "",
                 by=None) -> Award:
    """Record one award of `decision` in the register, with its reward as on the decision's date."""
    _check_recipient(person, unit)
    award = Award(decision=decision, kind=kind, person=person, unit=unit, year=year, achievement=achievement,
                  movement=movement, achievement_note=" ".join(achievement_note.split()), created_by=by)
    _check_award(award)
    existing = _same_achievement(award)
    if existing is not None:
        raise ValidationError({"kind": _duplicate_message(existing)})
    reward = reward_for(kind=kind, on=decision.date)
    if reward is not None:
        award.multiple, award.base_salary, award.amount = reward.multiple, reward.base_salary, reward.amount
    award.full_clean()
    try:
        with transaction.atomic():  # a concurrent twin commits between the check and the insert
            award.save()
    except IntegrityError as error:
        existing = _same_achievement(award)
        if existing is None:
            raise
        raise ValidationError({"kind": _duplicate_message(existing)}) from error
    return award
