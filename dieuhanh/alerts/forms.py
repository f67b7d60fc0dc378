"""Forms of the alerts pages. They parse; the services validate and save (their errors come back onto the fields
through `apply_errors`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dieuhanh.indicators.models import Indicator
from dieuhanh.lib.dates import date_field
from dieuhanh.lib.vnformat import NumberFormatError, parse_number
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.models import ReportForm

from .models import AlertRule, Channel, Level

TIME_FORMATS = ["%H:%M", "%H.%M", "%Hh%M", "%Hh", "%H"]


class TimeInput(forms.TimeInput):
    input_type = "text"

    def __init__(self, placeholder: str):
        super().__init__(format="%H:%M", attrs={"placeholder": placeholder, "inputmode": "numeric",
                                                "class": "form-control", "autocomplete": "off"})


class PreferenceForm(forms.Form):
    channels = forms.MultipleChoiceField(label=_("Channels"), choices=Channel.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    email = forms.EmailField(label=_("E-mail address"), required=False,
                             help_text=_("Leave empty to use the account's address."),
                             widget=forms.EmailInput(attrs={"class": "form-control"}))
    telegram_chat_id = forms.CharField(label=_("Telegram chat id"), required=False, max_length=64,
                                       widget=forms.TextInput(attrs={"class": "form-control",
                                                                     "inputmode": "numeric"}))
    zalo_user_id = forms.CharField(label=_("Zalo user id"), required=False, max_length=64,
                                   help_text=_("Your id as a follower of the province's Official Account."),
                                   widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric"}))
    webhook_url = forms.URLField(label=_("Webhook URL"), required=False, max_length=500, assume_scheme="https",
                                 widget=forms.URLInput(attrs={"class": "form-control",
                                                              "placeholder": "https://"}))
    quiet_start = forms.TimeField(label=_("Quiet hours from"), required=False, input_formats=TIME_FORMATS,
                                  widget=TimeInput("22:00"),
                                  error_messages={"invalid": _("Type a time such as 22:00.")})
    quiet_end = forms.TimeField(label=_("Quiet hours until"), required=False, input_formats=TIME_FORMATS,
                                widget=TimeInput("06:00"),
                                error_messages={"invalid": _("Type a time such as 06:30.")})
    alerts_below = forms.BooleanField(label=_("Also alerts about the units below mine"), required=False,
                                      help_text=_("Otherwise only alerts about the units you hold a role on "
                                                  "directly reach you."),
                                      widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           widget=forms.TextInput(attrs={"class": "form-control"}))
    kind = forms.ChoiceField(label=_("Watches"), choices=AlertRule.Kind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    unit = forms.ModelChoiceField(label=_("Units (with those below)"), queryset=OrgUnit.objects.none(),
                                  widget=forms.Select(attrs={"class": "form-select"}))
    days = forms.IntegerField(label=_("Days before the deadline"), required=False, min_value=1, max_value=365,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))
    indicator = forms.ModelChoiceField(label=_("Indicator"), required=False, queryset=Indicator.objects.all(),
                                       widget=forms.Select(attrs={"class": "form-select"}))
    form = forms.ModelChoiceField(label=_("Report form"), required=False,
                                  queryset=ReportForm.objects.filter(active=True),
                                  help_text=_("For indicators: its current period is read. For reports: only this "
                                              "form (empty: every form)."),
                                  widget=forms.Select(attrs={"class": "form-select"}))
    comparison = forms.ChoiceField(label=_("Comparison"), required=False,
                                   choices=[("", "—"), *AlertRule.Comparison.choices],
                                   widget=forms.Select(attrs={"class": "form-select"}))
    threshold = forms.CharField(label=_("Threshold"), required=False,
                                widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}))
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices,
                              widget=forms.Select(attrs={"class": "form-select"}))
    for_minutes = forms.IntegerField(label=_("Pending for (minutes)"), min_value=0, initial=0,
                                     help_text=_("How long the condition must hold before it fires."),
                                     widget=forms.NumberInput(attrs={"class": "form-control"}))
    repeat_minutes = forms.IntegerField(label=_("Repeat every (minutes)"), min_value=0, initial=0,
                                        help_text=_("0: tell once when it fires."),
                                        widget=forms.NumberInput(attrs={"class": "form-control"}))
    active = forms.BooleanField(label=pgettext_lazy("alert rule", "Active"), required=False, initial=True,
                                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()

    def clean_threshold(self):
        try:
            return parse_number(self.cleaned_data.get("threshold") or "")
        except NumberFormatError as exc:
            raise forms.ValidationError(str(exc)) from exc


class SilenceForm(forms.Form):
    rule = forms.ModelChoiceField(label=_("Rule"), required=False, queryset=AlertRule.objects.none(),
                                  empty_label=_("Every rule"), widget=forms.Select(attrs={"class": "form-select"}))
    unit = forms.ModelChoiceField(label=_("Units (with those below)"), queryset=OrgUnit.objects.none(),
                                  widget=forms.Select(attrs={"class": "form-select"}))
    ends_on = date_field(_("Until (day)"))
    ends_time = forms.TimeField(label=_("Until (time)"), input_formats=TIME_FORMATS, widget=TimeInput("17:00"),
                                error_messages={"invalid": _("Type a time such as 17:00.")})
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args, units=None, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["rule"].queryset = rules if rules is not None else AlertRule.objects.none()
        self.fields["ends_on"].widget.attrs["class"] = "form-control"
