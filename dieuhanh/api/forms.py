"""Forms of the pages that register API clients and make keys (dieuhanh/api/views_clients.py, views_tokens.py)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dieuhanh.accounts.models import ApiKey
from dieuhanh.lib.dates import date_field


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs["class"] = css


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit) -> str:
        # Indented by depth so the select reads as the tree.
        return "\u2003" * max(unit.depth - 1, 0) + f"{unit.name} ({unit.code})"


class ClientForm(forms.Form):
    name = forms.CharField(label=_("System's name"), max_length=200,
                           help_text=_("e.g. Hệ thống một cửa điện tử tỉnh"))
    contact = forms.CharField(label=_("Operator's contact"), max_length=255, required=False,
                              help_text=_("who runs the system: a name, an e-mail or a telephone number"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class KeyForm(forms.Form):
    """A key's label, subtree, access and expiry. `roots`: the units it may reach; `may_write`: whether read-write
    is offered."""

    name = forms.CharField(label=_("Label"), max_length=100, required=False,
                           help_text=_("what the key is for, e.g. 'máy chủ đồng bộ'"))
    root = UnitChoiceField(label=_("Units (the subtree under)"), queryset=None, empty_label=None)
    access = forms.ChoiceField(label=_("Access"), choices=ApiKey.Access.choices, initial=ApiKey.Access.READ)
    expires_on = date_field(_("Valid until (inclusive)"), required=False,
                            help_text=_("empty: until it is revoked"))

    def __init__(self, *args, roots, may_write: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"].queryset = roots.order_by("path")
        if not may_write:
            self.fields["access"].choices = [(ApiKey.Access.READ, ApiKey.Access.READ.label)]
        _bootstrap(self)

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("The expiry must be in the future"))
        return day

    def expires_at(self) -> datetime.datetime | None:
        """The key works through the chosen day (local time) and stops at the next midnight."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
