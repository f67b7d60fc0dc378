from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dieuhanh.audit.models import Action
from dieuhanh.lib.dates import date_field
from dieuhanh.orgunits.models import OrgUnit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return "\u00a0\u00a0" * max(obj.depth - 1, 0) + obj.name


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Person"), required=False, max_length=150)
    unit = UnitChoiceField(label=_("Unit"), required=False, queryset=OrgUnit.objects.order_by("path"),
                           to_field_name="code", empty_label=_("All units"))
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("All actions")), *Action.choices])
    since = date_field(pgettext_lazy("a range of days", "From"), required=False)
    until = date_field(pgettext_lazy("a range of days", "To"), required=False)
    q = forms.CharField(label=_("Text"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else \
                "form-control form-control-sm"
            field.widget.attrs["class"] = css
