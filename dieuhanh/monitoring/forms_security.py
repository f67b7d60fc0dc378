"""Forms of the information-security incident pages. They parse what an operator typed (dates dd/mm/yyyy, times
HH:MM in the province's time); the services decide and write."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dieuhanh.assignments.forms import BootstrapForm, UnitChoiceField
from dieuhanh.lib.dates import date_field
from dieuhanh.monitoring.models_security import SecurityIncident

Status = SecurityIncident.Status

# Suggestions only (a datalist): the national portal keeps its option lists as data we do not have, so the field
# takes any text and these are our own common cases.
INCIDENT_TYPES = (
    _("Denial of service (DDoS)"),
    _("Website defacement"),
    _("Malware, ransomware"),
    _("Phishing"),
    _("Intrusion, loss of control"),
    _("Data leak"),
    _("Exploited vulnerability"),
    _("Other"),
)
DETECTION_METHODS = (
    _("The monitoring system"),
    _("Reported by users"),
    _("Notified by the authorities"),
    _("Antivirus or intrusion detection alert"),
    _("Periodic inspection"),
    _("Other"),
)


def time_field(label, *, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label, required=required, input_formats=["%H:%M", "%H.%M", "%Hh%M", "%H:%M:%S"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "HH:MM", "maxlength": "8",
                                                     "autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a time like 14:30.")},
    )


def local_moment(day: datetime.date, time: datetime.time | None) -> datetime.datetime:
    """The aware moment of a local day and time (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(datetime.datetime.combine(day, time or datetime.time(0, 0)))


def _text(label, *, required=False, rows=2, max_length=None) -> forms.CharField:
    if rows:
        return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))
    return forms.CharField(label=label, required=required, max_length=max_length)


class SecurityIncidentForm(BootstrapForm):
    orgunit = UnitChoiceField(label=_("Reporting unit"), queryset=None)
    reporter_name = _text(_("Reporting organisation"), rows=0, max_length=255)
    reporter_address = _text(_("Address"), rows=0, max_length=255)
    reporter_phone = _text(_("Phone"), rows=0, max_length=50)
    reporter_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_name = _text(_("Contact person"), required=True, rows=0, max_length=255)
    contact_position = _text(_("Position"), rows=0, max_length=255)
    contact_phone = _text(_("Phone"), required=True, rows=0, max_length=50)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    systems = forms.ModelMultipleChoiceField(label=_("Affected systems"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    operating_unit = _text(_("Operating unit"), required=True, rows=0, max_length=255)
    owner_agency = _text(_("Owner agency"), rows=0, max_length=255)
    affected_addresses = _text(_("Domains and public IP addresses"))
    providers = _text(_("IT, telecom and security service providers"))
    title = _text(_("Incident"), required=True, rows=0, max_length=300)
    incident_type = _text(_("Incident type"), required=True, rows=0, max_length=200)
    description = _text(_("Short description"), required=True, rows=3)
    symptoms = _text(_("Symptoms"))
    impact = _text(_("Preliminary harm, spread and impact"))
    detected_on = date_field(_("Date detected"))
    detected_time = time_field(_("Time detected"))
    detection_method = _text(_("How it was detected"), required=True, rows=0, max_length=300)
    notified_to = _text(_("Already notified to"))
    serious = forms.BooleanField(label=_("Serious incident (Decision 05/2017/QĐ-TTg, Article 9)"), required=False)
    serious_reason = _text(_("Why it is serious"))
    confidential = forms.BooleanField(label=_("Keep confidential"), required=False)
    measures = _text(_("Measures taken or planned"))
    supporters = _text(_("Organisations helping and their results"))
    initial_result = _text(_("Result of the initial response"))
    result = _text(_("Handling result"))
    proposals = _text(_("Proposals and support requested"))

    def __init__(self, *args, units, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orgunit"].queryset = units
        self.fields["systems"].queryset = systems
        self.fields["incident_type"].widget.attrs["list"] = "incident-types"
        self.fields["detection_method"].widget.attrs["list"] = "detection-methods"
        self.fields["serious"].help_text = _(
            "Serious only when it hits a level 4 or 5 (or national critical) system with an interruption, a "
            "secret leak, unrecoverable loss of integrity, loss of control or a chain impact, and the owner "
            "cannot handle it alone. Judged by a person, never computed.")

    def clean(self):
        data = super().clean()
        if data.get("detected_on"):
            data["detected_at"] = local_moment(data["detected_on"], data.get("detected_time"))
        if data.get("serious") and not (data.get("serious_reason") or "").strip():
            self.add_error("serious_reason", _("Say why the incident is serious (Decision 05/2017/QĐ-TTg, "
                                               "Article 9)."))
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("detected_on", None)
        data.pop("detected_time", None)
        return data

    @classmethod
    def initial_for(cls, incident: SecurityIncident) -> dict:
        local = timezone.localtime(incident.detected_at)
        initial = {name: getattr(incident, name) for name in cls.base_fields
                   if name not in {"systems", "detected_on", "detected_time", "orgunit"}}
        initial.update(orgunit=incident.orgunit_id, systems=list(incident.systems.all()), detected_on=local.date(),
                       detected_time=local.time().replace(second=0, microsecond=0))
        return initial


class AdvanceForm(BootstrapForm):
    status = forms.ChoiceField(label=_("Next step"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    ended_on = date_field(_("Response ended on"), required=False)
    ended_time = time_field(_("at"), required=False)

    def __init__(self, *args, incident: SecurityIncident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Status(s).label) for s in incident.next_statuses()]

    def clean(self):
        data = super().clean()
        data["ended_at"] = local_moment(data["ended_on"], data.get("ended_time")) if data.get("ended_on") else None
        return data


class ReportNumberForm(BootstrapForm):
    kind = forms.ChoiceField(choices=[("initial", _("Initial report")), ("closing", _("Closing report"))],
                             widget=forms.HiddenInput)
    number = forms.CharField(label=pgettext_lazy("report number", "Number"), max_length=64)
    date = date_field(_("Date"))


class RegisterFilterForm(BootstrapForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    serious = forms.ChoiceField(label=_("Serious"), required=False,
                                choices=[("", _("All")), ("yes", _("Serious")), ("no", _("Not serious"))])

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(y, str(y)) for y in years]]
        self.fields["status"].choices = [("", _("All statuses")), *Status.choices]

    @property
    def serious_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("serious") or "")
