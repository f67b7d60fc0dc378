"""Forms of the commendation pages: they parse what a person typed; the services decide and write."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dieuhanh.assignments.forms import BootstrapForm
from dieuhanh.commendations.models import Authority, Award, AwardKind, EmulationMovement, Nomination, Person
from dieuhanh.lib.dates import date_field
from dieuhanh.orgunits.models import OrgUnit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} — {', '.join(x for x in (obj.position, obj.unit.name) if x)}"


class RoundForm(BootstrapForm):
    name = forms.CharField(label=_("Name of the round"), max_length=300)
    year = forms.IntegerField(label=_("Year of the achievements"), min_value=2000, max_value=2100)
    authority = forms.ModelChoiceField(label=_("Granting authority"), queryset=Authority.objects.all())
    organiser = UnitChoiceField(label=_("Council of"), queryset=OrgUnit.objects.none())
    nominations_due = date_field(_("Nominations due"), required=False)

    def __init__(self, *args, organisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisers is not None:
            self.fields["organiser"].queryset = organisers


RECIPIENT_PERSON, RECIPIENT_NEW_PERSON, RECIPIENT_UNIT = "person", "new_person", "unit"


class NominationForm(BootstrapForm):
    proposer = UnitChoiceField(label=_("Proposing unit"), queryset=OrgUnit.objects.none())
    recipient = forms.ChoiceField(label=_("Proposed"), widget=forms.RadioSelect, initial=RECIPIENT_PERSON, choices=[
        (RECIPIENT_PERSON, _("A person already listed")), (RECIPIENT_NEW_PERSON, _("A person not yet listed")),
        (RECIPIENT_UNIT, _("A collective"))])
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)
    new_full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    new_position = forms.CharField(label=_("Position"), max_length=200, required=False)
    unit = UnitChoiceField(label=_("Collective"), queryset=OrgUnit.objects.none(), required=False)
    kind = forms.ModelChoiceField(label=_("Title or form"), queryset=AwardKind.objects.none())
    achievement = forms.ChoiceField(label=_("Achievement"), choices=Award.Achievement.choices,
                                    initial=Award.Achievement.TITLE)
    movement = forms.ModelChoiceField(label=_("Emulation movement"), queryset=EmulationMovement.objects.all(),
                                      required=False)
    achievement_note = forms.CharField(label=_("Which achievement"), max_length=300, required=False)
    summary = forms.CharField(label=_("Summary of achievements"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units=None, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["proposer"].queryset = units
            self.fields["unit"].queryset = units
            self.fields["person"].queryset = Person.objects.filter(unit__in=units, left_on__isnull=True).select_related(
                "unit")
        if kinds is not None:
            self.fields["kind"].queryset = kinds

    def clean(self):
        data = super().clean()
        chosen = data.get("recipient")
        if chosen == RECIPIENT_PERSON and not data.get("person"):
            self.add_error("person", _("Choose the person proposed."))
        elif chosen == RECIPIENT_NEW_PERSON and not (data.get("new_full_name") or "").strip():
            self.add_error("new_full_name", _("Enter the full name of the person proposed."))
        elif chosen == RECIPIENT_UNIT and not data.get("unit"):
            self.add_error("unit", _("Choose the collective proposed."))
        return data


class VoteForm(BootstrapForm):
    members_total = forms.IntegerField(label=_("Council members"), min_value=1, max_value=200)
    members_present = forms.IntegerField(label=_("Members present"), min_value=0, max_value=200)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, max_value=200)
    chair_approves = forms.TypedChoiceField(
        label=_("The chair's decision (titles and forms without a threshold)"), required=False,
        choices=[("", "—"), ("yes", _("Propose for the award")), ("no", _("Do not propose"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v), empty_value=None)
    voted_on = date_field(_("Voted on"))
    note = forms.CharField(label=_("Minutes"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("voted_on", datetime.date.today())
        super().__init__(*args, **kwargs)


class PassedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Nomination) -> str:
        return f"{obj.recipient} — {obj.kind.name}"


class DecisionForm(BootstrapForm):
    number = forms.CharField(label=_("Number and symbol"), max_length=64,
                             help_text=_("Like 125/QĐ-UBND or 15/QĐ-SKHCN (Decree 30)."))
    date = date_field(_("Date signed"))
    signer_name = forms.CharField(label=_("Signed by"), max_length=200)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=200, required=False)
    excerpt = forms.CharField(label=_("Excerpt"), max_length=500, required=False,
                              help_text=_("Like: Về việc tặng Bằng khen của Chủ tịch UBND tỉnh"))
    nominations = PassedChoiceField(label=_("Nominations granted"), queryset=Nomination.objects.none(),
                                    widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, passed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if passed is not None:
            self.fields["nominations"].queryset = passed
            self.fields["nominations"].initial = list(passed.values_list("pk", flat=True))


class MovementForm(BootstrapForm):
    """Launching an emulation movement (phát động phong trào thi đua)."""

    name = forms.CharField(label=_("Name of the movement"), max_length=300)
    organiser = UnitChoiceField(label=_("Launched by"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("Kind of movement"), choices=EmulationMovement.Kind.choices,
                             initial=EmulationMovement.Kind.REGULAR)
    start_date = date_field(_("Start date"))
    end_date = date_field(_("End date"), required=False)
    launch_document = forms.CharField(label=_("Launching document"), max_length=64, required=False,
                                      help_text=_("The plan or decision launching it, like 12/KH-UBND (Decree 30)."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisers is not None:
            self.fields["organiser"].queryset = organisers


class TitleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: AwardKind) -> str:
        return obj.name


REGISTRANT_UNIT, REGISTRANT_PERSON = "unit", "person"


class RegistrationForm(BootstrapForm):
    """A yearly registration (đăng ký thi đua) of a collective or a person for titles, optionally in a movement."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    registrant = forms.ChoiceField(label=_("Registering"), widget=forms.RadioSelect, initial=REGISTRANT_UNIT,
                                   choices=[(REGISTRANT_UNIT, _("A collective")), (REGISTRANT_PERSON, _("A person"))])
    unit = UnitChoiceField(label=_("Collective"), queryset=OrgUnit.objects.none(), required=False)
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)
    titles = TitleChoiceField(label=_("Titles registered for"), queryset=AwardKind.objects.none(),
                              widget=forms.CheckboxSelectMultiple)
    movement = forms.ModelChoiceField(label=_("Emulation movement"), queryset=EmulationMovement.objects.none(),
                                      required=False)
    registered_on = date_field(_("Registered on"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units=None, people=None, titles=None, movements=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in (("unit", units), ("person", people), ("titles", titles), ("movement", movements)):
            if queryset is not None:
                self.fields[name].queryset = queryset
        for name in ("registrant", "titles"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        chosen = data.get("registrant")
        if chosen == REGISTRANT_UNIT and not data.get("unit"):
            self.add_error("unit", _("Choose the collective registering."))
        elif chosen == REGISTRANT_PERSON and not data.get("person"):
            self.add_error("person", _("Choose the person registering."))
        return data


class PersonForm(BootstrapForm):
    """A person of a unit, kept by the unit's staff: the members a collective's evidence counts."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    unit = UnitChoiceField(label=pgettext_lazy("org unit", "Unit"), queryset=OrgUnit.objects.none())
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=[("", "—"), *Person.Gender.choices])

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class PersonUpdateForm(PersonForm):
    """Position, unit and gender of a person already listed (the name stays as the register knows it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["full_name"]


class PersonLeaveForm(BootstrapForm):
    left_on = date_field(_("Left the unit on"))
