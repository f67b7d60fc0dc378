"""Forms of the reports pages. They parse; the services validate and save (their errors come back onto the fields
through `apply_errors`)."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from dieuhanh.indicators.models import Indicator
from dieuhanh.lib.dates import date_field
from dieuhanh.orgunits.models import OrgUnit

from .models import PERIOD_TYPE_CHOICES, SECTION_KINDS, ReportTemplate

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def _text(label, *, required=False, max_length=200, help_text=""):
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           widget=forms.TextInput(attrs=TEXT))


def _lines(label, help_text=""):
    return forms.CharField(label=label, required=False, help_text=help_text,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 4}))


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{obj.name} ({obj.code})"


class ReportMetaForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=ReportTemplate.objects.none(),
                                      widget=forms.Select(attrs=SELECT),
                                      error_messages={"required": _("Template: choose a template.")})
    issuer = UnitChoiceField(label=_("Issuing unit"), queryset=OrgUnit.objects.none(),
                             widget=forms.Select(attrs=SELECT),
                             error_messages={"required": _("Issuing unit: choose the unit that issues the report.")})
    subject = UnitChoiceField(label=_("Unit reported on"), queryset=OrgUnit.objects.none(),
                              widget=forms.Select(attrs=SELECT),
                              help_text=_("Whose figures: the province, or a province before the 2025 reform."),
                              error_messages={"required": _("Unit reported on: choose a unit.")})
    period_id = forms.ChoiceField(label=_("Period"), choices=(), widget=forms.Select(attrs=SELECT),
                                  error_messages={"required": _("Period: choose a period."),
                                                  "invalid_choice": _("Period: choose a period of the list.")})
    estimate = forms.BooleanField(label=_("Estimated figures (“ước đạt”)"), required=False,
                                  widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    number = _text(_("Document number"), max_length=40, help_text=_("E.g. 15/BC-SKHCN; empty until numbered."))
    date = date_field(_("Document date"), required=False)
    place = _text(_("Place"), max_length=100, help_text=_("E.g. Tây Ninh."))
    owner_agency = _text(_("Owner agency"), help_text=_("Empty: from the issuing unit's province."))
    issuer_abbr = _text(_("Issuer abbreviation"), max_length=30, help_text=_("Empty: from the unit's code."))
    send_to = _lines(_("Addressees (Kính gửi)"), _("One addressee a line."))
    received_by = _lines(_("Recipients (Nơi nhận)"), _("One recipient a line, e.g. - Lưu: VT, VP."))
    signer_authority = _text(_("Signing authority"), max_length=100, help_text=_("E.g. KT. GIÁM ĐỐC."))
    signer_title = _text(_("Signer's title"), max_length=100, help_text=_("E.g. PHÓ GIÁM ĐỐC."))
    signer_name = _text(_("Signer's name"), max_length=100)

    def __init__(self, *args, templates, issuers, subjects, periods, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["issuer"].queryset = issuers
        self.fields["subject"].queryset = subjects
        self.fields["period_id"].choices = [("", "—"), *periods]
        self.fields["date"].widget.attrs["class"] = "form-control"
        if editing:
            self.fields["template"].required = False
            self.fields["template"].disabled = True


class TemplateForm(forms.Form):
    name = _text(_("Name"), required=True)
    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportTemplate.Kind.choices,
                             widget=forms.Select(attrs=SELECT))
    period_type = forms.ChoiceField(label=_("Period covered"), choices=PERIOD_TYPE_CHOICES,
                                    widget=forms.Select(attrs=SELECT))
    doc_type = _text(_("Document type"), required=True, max_length=60)
    summary_pattern = _text(_("Summary line"), required=True, max_length=300,
                            help_text=_("Placeholders: {year}, {next_year}, {period} (e.g. Quý III/2026), {unit}."))
    active = forms.BooleanField(label=_("In use"), required=False,
                                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class IndicatorChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.name} ({obj.unit}) · {obj.code}"


class SectionForm(forms.Form):
    heading = _text(_("Heading"), max_length=300,
                    help_text=_("With its numbering: “I. KẾT QUẢ …”, “1. …”, “a) …”; {year} and {next_year} are "
                                "filled in. Empty: continues the section above."))
    level = forms.TypedChoiceField(label=_("Heading level"), coerce=int,
                                   choices=[(1, _("I. (part)")), (2, _("1. (item)")), (3, _("a) (point)"))],
                                   widget=forms.Select(attrs=SELECT))
    kind = forms.ChoiceField(label=_("Content"), choices=SECTION_KINDS, widget=forms.Select(attrs=SELECT))
    indicators = IndicatorChoices(label=_("Indicators"), required=False,
                                  queryset=Indicator.objects.filter(active=True).order_by("sector__order", "pk"),
                                  widget=forms.SelectMultiple(attrs={**SELECT, "size": 10}),
                                  help_text=_("For a narrative or a table; hold Ctrl to pick several."))
    options = forms.CharField(label=_("Options (JSON)"), required=False,
                              widget=forms.TextInput(attrs={**TEXT, "placeholder": '{"ytd": true}'}))
    default_text = forms.CharField(label=_("Default text"), required=False,
                                   widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
                                   help_text=_("For free text: written when the report's own text is empty."))

    def clean_options(self) -> dict:
        raw = (self.cleaned_data.get("options") or "").strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("Options: not valid JSON; write e.g. {\"ytd\": true}.")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Options: write a JSON object, e.g. {\"ytd\": true}."))
        return value
