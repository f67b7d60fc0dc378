"""Forms of the alerts pages. They parse; the services validate and save (their errors come back onto the fields
through `apply_errors`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel

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
