"""The operators' forms: a system, a check (its fields depend on its kind), a maintenance window (one-off or
recurring, dates dd/mm/yyyy), opening an incident and noting its cause. The forms parse; core's services decide
and write (their ValidationError comes back under the fields it names)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dieuhanh.assignments.views_tasks import apply_errors  # noqa: F401  (the house's one mapping of service errors)
from dieuhanh.lib.dates import date_field
from dieuhanh.monitoring.models import LOCAL_TZ, Check, MaintenanceWindow, System

# The fields each kind of check uses; the page shows only the chosen kind's (static/monitoring/forms.js).
KIND_FIELDS = {
    Check.Kind.HTTP: ["url", "expected_statuses", "keyword", "keyword_absent", "json_path", "json_expected",
                      "max_response_ms"],
    Check.Kind.TCP: ["host", "port"],
    Check.Kind.TLS: ["host", "port", "cert_warn_days"],
    Check.Kind.DNS: ["dns_name", "dns_expected"],
    Check.Kind.HEARTBEAT: ["period_seconds", "grace_seconds"],
}
SCHEDULE_FIELDS = ["interval_seconds", "timeout_seconds", "failures_to_down", "successes_to_up"]


def styled(form: forms.BaseForm) -> None:
    """Bootstrap's classes on every widget, so the templates render fields as they are."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class SystemForm(forms.ModelForm):
    class Meta:
        model = System
        fields = ["code", "name", "category", "owner", "operator_name", "operator_phone", "operator_email",
                  "security_level", "level_document", "depends_on", "public", "active", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "depends_on": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, units, systems, may_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = units.order_by("path")
        others = systems.exclude(pk=self.instance.pk) if self.instance.pk else systems
        self.fields["depends_on"].queryset = others.order_by("name")
        self.fields["security_level"].widget = forms.Select(choices=[("", "—")] + [(n, n) for n in range(1, 6)])
        self.fields["level_document"].help_text = _("The approving decision, for example 123/QĐ-UBND")
        if self.instance.pk:
            self.fields["code"].disabled = True  # links, heartbeats and the API name it
        if not may_publish:
            # The public page shows what an administrator opted in, nobody else.
            self.fields["public"].disabled = True
        styled(self)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if self.instance.pk:
            data.pop("code", None)
        return data


class CheckForm(forms.ModelForm):
    class Meta:
        model = Check
        fields = ["name", "kind", *dict.fromkeys(f for names in KIND_FIELDS.values() for f in names),
                  *SCHEDULE_FIELDS, "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["kind"].disabled = True  # a heartbeat's URL or a probe's history would not carry over
        styled(self)

    def kind_groups(self) -> list[tuple[str, str, list]]:
        """(kind, label, bound fields) for the template: one fieldset per kind."""
        return [(kind, Check.Kind(kind).label, [self[name] for name in names]) for kind, names in KIND_FIELDS.items()]

    def schedule_fields(self) -> list:
        return [self[name] for name in SCHEDULE_FIELDS]

    def service_kwargs(self) -> dict:
        """The chosen kind's fields and the schedule: fields of other kinds keep their defaults."""
        kind = self.instance.kind if self.instance.pk else self.cleaned_data["kind"]
        names = ["name", *KIND_FIELDS[kind], *SCHEDULE_FIELDS, "active"]
        if not self.instance.pk:
            names.append("kind")
        return {name: self.cleaned_data[name] for name in names}


def _time_field(label, required=False) -> forms.TimeField:
    return forms.TimeField(label=label, required=required, input_formats=["%H:%M"],
                           widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm", "maxlength": "5"}),
                           error_messages={"invalid": _("Enter a time like 22:30.")})


WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]


class MaintenanceForm(forms.Form):
    ONE_OFF, RECURRING = "one_off", "recurring"
    name = forms.CharField(label=_("Name"), max_length=200)
    systems = forms.ModelMultipleChoiceField(label=_("Systems"), queryset=System.objects.none(),
                                             widget=forms.SelectMultiple(attrs={"size": 8}))
    kind = forms.ChoiceField(label=_("Kind"), choices=[(ONE_OFF, _("One-off")), (RECURRING, _("Recurring"))],
                             widget=forms.RadioSelect, initial=ONE_OFF)
    starts_on = date_field(_("Starts on"), required=False)
    starts_time = _time_field(_("at"))
    ends_on = date_field(_("Ends on"), required=False)
    ends_time = _time_field(_("at"))
    weekdays = forms.TypedMultipleChoiceField(label=_("Weekdays"), choices=WEEKDAYS, coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    start_time = _time_field(_("Start time"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=7 * 24 * 60,
                                          required=False)
    valid_from = date_field(_("Valid from"), required=False)
    valid_to = date_field(_("Valid to"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["systems"].queryset = systems.order_by("name")
        styled(self)

    def clean(self):
        data = super().clean()
        if data.get("kind") == self.RECURRING:
            for name in ("weekdays", "start_time", "duration_minutes"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Required for a recurring window."))
        else:
            for day, time in (("starts_on", "starts_time"), ("ends_on", "ends_time")):
                if not data.get(day) and day not in self.errors:
                    self.add_error(day, _("Required for a one-off window."))
                if not data.get(time) and time not in self.errors:
                    self.add_error(time, _("Required for a one-off window."))
        return data

    @classmethod
    def initial_from(cls, window: MaintenanceWindow) -> dict:
        """The form's fields for an existing window, its times in the province's time."""
        initial = {"name": window.name, "systems": list(window.systems.all()), "note": window.note,
                   "kind": cls.RECURRING if window.recurring else cls.ONE_OFF}
        if window.recurring:
            initial.update(weekdays=window.weekday_list, start_time=window.start_time,
                           duration_minutes=window.duration_minutes, valid_from=window.valid_from,
                           valid_to=window.valid_to)
        else:
            for moment, day, time in ((window.starts_at, "starts_on", "starts_time"),
                                      (window.ends_at, "ends_on", "ends_time")):
                if moment is not None:
                    local = moment.astimezone(LOCAL_TZ)
                    initial.update({day: local.date(), time: local.time().replace(second=0, microsecond=0)})
        return initial

    def service_kwargs(self) -> dict:
        """The window's fields; those of the other kind are emptied, so that an edit may switch kinds."""
        d = self.cleaned_data
        out = {"name": d["name"], "systems": list(d["systems"]), "note": d["note"], "starts_at": None,
               "ends_at": None, "weekdays": "", "start_time": None, "duration_minutes": None, "valid_from": None,
               "valid_to": None}
        if d["kind"] == self.RECURRING:
            out.update(weekdays=",".join(str(n) for n in sorted(d["weekdays"])), start_time=d["start_time"],
                       duration_minutes=d["duration_minutes"], valid_from=d["valid_from"], valid_to=d["valid_to"])
        else:
            # Typed in the province's time, whatever the server's zone.
            out.update(starts_at=datetime.datetime.combine(d["starts_on"], d["starts_time"], tzinfo=LOCAL_TZ),
                       ends_at=datetime.datetime.combine(d["ends_on"], d["ends_time"], tzinfo=LOCAL_TZ))
        return out


def window_text(window: MaintenanceWindow) -> str:
    """"Thứ Hai, Thứ Năm 22:00, 120 phút" or "22:00 05/12/2026 – 02:00 06/12/2026"."""
    if window.recurring:
        names = dict(WEEKDAYS)
        days = ", ".join(str(names[d]) for d in window.weekday_list)
        start = window.start_time.strftime("%H:%M") if window.start_time else ""
        return _("%(days)s at %(start)s for %(minutes)s minutes") % {
            "days": days, "start": start, "minutes": window.duration_minutes}
    if window.starts_at and window.ends_at:
        fmt = "%H:%M %d/%m/%Y"
        return (f"{timezone.localtime(window.starts_at, LOCAL_TZ):{fmt}} – "
                f"{timezone.localtime(window.ends_at, LOCAL_TZ):{fmt}}")
    return ""


class IncidentOpenForm(forms.Form):
    system = forms.ModelChoiceField(label=_("System"), queryset=System.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    started_on = date_field(_("Started on"), required=False, help_text=_("Empty: now"))
    started_time = _time_field(_("at"))

    def __init__(self, *args, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems
        styled(self)

    def clean(self):
        data = super().clean()
        if data.get("started_time") and not data.get("started_on") and "started_on" not in self.errors:
            self.add_error("started_on", _("Enter the day the outage started."))
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        started_at = None
        if d.get("started_on"):
            # An outage noticed later: typed in the province's time, whatever the server's zone.
            started_at = datetime.datetime.combine(d["started_on"], d.get("started_time") or datetime.time(),
                                                   tzinfo=LOCAL_TZ)
        return {"system": d["system"], "title": d["title"], "started_at": started_at}


class IncidentNoteForm(forms.Form):
    cause = forms.CharField(label=_("Cause"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.CharField(label=_("Actions taken"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)

    def clean(self):
        # The page always sends both boxes (empty ones to clear them); a request sending neither would clear the
        # recorded cause and actions without anyone having seen them.
        if self.is_bound and "cause" not in self.data and "actions" not in self.data:
            raise forms.ValidationError(_("Nothing to save: the request sent neither the cause nor the actions."))
        return super().clean()
