"""Admin for the indicator catalogue. Values are read-only here: every change of a value must go through
`datavalues_save` so that it is validated and lands in the history, and the history itself is append-only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dieuhanh.indicators.models import DataValue, Indicator, Sector, ValueHistory
from dieuhanh.lib.admin import ReadOnlyAdmin


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "order")
    list_editable = ("order",)
    search_fields = ("code", "name")

    def has_delete_permission(self, request, obj=None):
        return False  # indicators hang on sectors; rename instead


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ("code", "name", "sector", "unit", "description", "active", "value_type", "decimals", "min_value",
                  "max_value", "direction", "unit_aggregation", "weight_indicator", "period_aggregation")

    def clean(self):
        data = super().clean()
        weighted = data.get("unit_aggregation") == Indicator.UnitAggregation.WEIGHTED_AVERAGE
        if weighted and not data.get("weight_indicator"):
            self.add_error("weight_indicator", _("A weighted average needs the indicator that gives the weights."))
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            raise ValidationError({"max_value": _("The maximum cannot be below the minimum.")})
        return data


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorForm
    list_display = ("code", "name", "unit", "value_type", "unit_aggregation", "period_aggregation", "sector",
                    "active")
    list_filter = ("sector", "value_type", "unit_aggregation", "active")
    search_fields = ("code", "name")
    autocomplete_fields = ("weight_indicator",)
    list_select_related = ("sector",)
    fieldsets = (
        (None, {"fields": ("code", "name", "sector", "unit", "description", "active")}),
        (_("value type"), {"fields": ("value_type", "decimals", "min_value", "max_value", "direction")}),
        (_("aggregation across units"),
         {"fields": ("unit_aggregation", "weight_indicator", "period_aggregation")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Files, forms and the API name indicators by code: once values exist, the code stays.
        return ("code",) if obj is not None and obj.values.exists() else ()

    def has_delete_permission(self, request, obj=None):
        return False  # values refer to it; set it inactive instead


class ValuesAdmin(ReadOnlyAdmin):
    @admin.display(description=_("code"), ordering="indicator__code")
    def indicator_code(self, obj):
        return obj.indicator.code


def _person(user) -> str:
    """A person's name, or an API client's (its service account's first name), rather than an account name."""
    return (user.get_full_name() or user.get_username()) if user else "—"


@admin.register(DataValue)
class DataValueAdmin(ValuesAdmin):
    list_display = ("indicator_code", "orgunit", "period", "kind", "value", "comment", "updated_at", "updated_by_name")
    ordering = ("indicator__code", "orgunit__path", "period", "kind")
    list_filter = ("kind", "indicator__sector", "indicator")
    search_fields = ("indicator__code", "orgunit__code", "orgunit__name", "period")
    list_select_related = ("indicator", "orgunit", "updated_by")
    show_full_result_count = False

    @admin.display(description=_("updated by"), ordering="updated_by__first_name")
    def updated_by_name(self, obj) -> str:
        return _person(obj.updated_by)


@admin.register(ValueHistory)
class ValueHistoryAdmin(ValuesAdmin):
    list_display = ("changed_at", "indicator_code", "orgunit", "period", "kind", "old_value", "new_value", "channel",
                    "changed_by_name")
    list_filter = ("channel", "kind")
    search_fields = ("indicator__code", "orgunit__code", "orgunit__name", "period")
    date_hierarchy = "changed_at"
    list_select_related = ("indicator", "orgunit", "changed_by")
    show_full_result_count = False

    @admin.display(description=_("changed by"), ordering="changed_by__first_name")
    def changed_by_name(self, obj) -> str:
        return _person(obj.changed_by)
