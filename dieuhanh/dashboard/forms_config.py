"""Forms of the dashboard configuration pages; choices are limited to what the administrator may use."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dieuhanh.accounts.models import RoleAssignment
from dieuhanh.dashboard.models import Card, Dashboard
from dieuhanh.dashboard.selectors import admin_units
from dieuhanh.indicators.models import Indicator, Sector
from dieuhanh.lib.vnformat import fold


class SearchableSelect(forms.Select):
    """Each option carries its name without diacritics, for the filter box (dashboard/picker.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["data-search"] = fold(str(label))
        return option


class SearchableSelectMultiple(SearchableSelect, forms.SelectMultiple):
    pass


def unit_label(unit) -> str:
    return "\u2003" * max(unit.path.count("/") - 2, 0) + f"{unit.name} ({unit.code})"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return unit_label(obj)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return unit_label(obj)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name} ({obj.unit})"


class DashboardForm(forms.ModelForm):
    orgunit = UnitChoiceField(queryset=None, required=False, label=_("unit"), widget=SearchableSelect,
                              help_text=_("Whose figures the cards show; empty: the top of each viewer's scope."))
    users = UserMultipleChoiceField(queryset=None, required=False, label=_("assigned to users"),
                                    widget=SearchableSelectMultiple(attrs={"size": 6}))
    orgunits = UnitMultipleChoiceField(
        queryset=None, required=False, label=_("assigned to units"), widget=SearchableSelectMultiple(attrs={"size": 8}),
        help_text=_("Everyone holding a role on one of these units or on a unit below it gets the dashboard."),
    )

    class Meta:
        model = Dashboard
        fields = ["name", "sector", "orgunit", "is_default", "order", "wall_seconds", "active", "users", "orgunits"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = admin_units(user).order_by("path")
        self.fields["orgunit"].queryset = units
        self.fields["orgunits"].queryset = units
        people = RoleAssignment.objects.filter(orgunit__in=units).values("user_id")
        self.fields["users"].queryset = get_user_model().objects.filter(pk__in=people, is_active=True).order_by(
            "username")
        self.fields["sector"].queryset = Sector.objects.all()
        for name, field in self.fields.items():
            if name in ("is_default", "active"):
                css = "form-check-input"
            else:
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class CardForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Card.Kind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    indicator = IndicatorChoiceField(queryset=Indicator.objects.filter(active=True).select_related("sector"),
                                     required=False, label=_("indicator"),
                                     widget=SearchableSelect(attrs={"class": "form-select", "size": 6}))
    span = forms.ChoiceField(label=_("period shown"), choices=Card.Span.choices, initial=Card.Span.YEAR_TO_DATE,
                             widget=forms.Select(attrs={"class": "form-select"}))
    title = forms.CharField(label=_("title (optional)"), max_length=255, required=False,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
