"""The pivot page `/ioc/pivot/`: choose indicators, a unit (itself, its units, or every unit below it) and the
periods of a year; see the table or download it as XLSX (`?format=xlsx`). A unit outside the user's scope
answers 404."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.dashboard.forms_config import IndicatorChoiceField, SearchableSelectMultiple
from dieuhanh.dashboard.pivot import KIND_BEST, KIND_TARGET, LAYOUT_INDICATOR, LAYOUT_UNIT, pivot_build, pivot_workbook
from dieuhanh.dashboard.selectors import top_unit
from dieuhanh.indicators.models import Indicator
from dieuhanh.lib.periods import PERIOD_TYPE_LABELS, PeriodType, periods_of_year
from dieuhanh.lib.vnformat import format_number
from dieuhanh.orgunits.models import OrgUnit

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_INDICATORS = 50
MAX_PAGE_CELLS = 60_000  # beyond this the page would be too heavy to read: the workbook has it all
MAX_XLSX_CELLS = 600_000
MAX_UNIT_CHOICES = 5000  # a province has a few hundred units; the whole country 3,400

ROWS_SELF, ROWS_CHILDREN, ROWS_ALL = "self", "children", "all"


class IndicatorMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return IndicatorChoiceField.label_from_instance(self, obj)


class PivotForm(forms.Form):
    indicators = IndicatorMultipleChoiceField(
        queryset=Indicator.objects.filter(active=True).select_related("sector"), to_field_name="code",
        label=gettext_lazy("Indicators"), widget=SearchableSelectMultiple(attrs={"class": "form-select", "size": 8}),
    )
    unit = forms.CharField(label=gettext_lazy("Unit"), required=False)
    rows = forms.ChoiceField(label=gettext_lazy("Units shown"), initial=ROWS_CHILDREN, required=False, choices=[
        (ROWS_CHILDREN, gettext_lazy("The unit and the units directly below it")),
        (ROWS_SELF, gettext_lazy("The unit only")),
        (ROWS_ALL, gettext_lazy("The unit and every unit below it")),
    ], widget=forms.Select(attrs={"class": "form-select"}))
    period_type = forms.ChoiceField(label=gettext_lazy("Periods"), initial=PeriodType.MONTH, required=False,
                                    choices=[(t.value, PERIOD_TYPE_LABELS[t]) for t in PeriodType],
                                    widget=forms.Select(attrs={"class": "form-select"}))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False,
                              widget=forms.NumberInput(attrs={"class": "form-control"}),
                              # "26" is a whole number too: below 2000 it gets the same words, not "at least 2000".
                              error_messages={key: gettext_lazy("Enter the year in four digits, e.g. 2026.")
                                              for key in ("invalid", "min_value", "max_value")})
    layout = forms.ChoiceField(label=gettext_lazy("Layout"), initial=LAYOUT_INDICATOR, required=False, choices=[
        (LAYOUT_INDICATOR, gettext_lazy("A block per indicator, a row per unit")),
        (LAYOUT_UNIT, gettext_lazy("A block per unit, a row per indicator")),
    ], widget=forms.Select(attrs={"class": "form-select"}))
    empty = forms.ChoiceField(label=gettext_lazy("Rows without figures"), initial="hide", required=False, choices=[
        ("hide", gettext_lazy("Hide")), ("show", gettext_lazy("Show")),
    ], widget=forms.Select(attrs={"class": "form-select"}))
    kind = forms.ChoiceField(label=gettext_lazy("Figures"), initial=KIND_BEST, required=False, choices=[
        (KIND_BEST, gettext_lazy("Actual (estimate where no actual yet)")),
        (KIND_TARGET, gettext_lazy("Target")),
    ], widget=forms.Select(attrs={"class": "form-select"}))

    def clean_indicators(self):
        chosen = self.cleaned_data["indicators"]
        if len(chosen) > MAX_INDICATORS:
            raise forms.ValidationError(
                _("Choose at most %(n)d indicators.") % {"n": MAX_INDICATORS})
        return chosen


def _units(unit: OrgUnit, rows: str, year: int) -> list[OrgUnit]:
    """`unit` first (its figure is the total), then the units below it that existed during `year`."""
    if rows == ROWS_SELF:
        return [unit]
    below = OrgUnit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk)
    if rows != ROWS_ALL:
        below = below.filter(parent=unit)
    existed = (Q(valid_from__isnull=True) | Q(valid_from__lte=datetime.date(year, 12, 31))) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=datetime.date(year, 1, 1)))
    return [unit, *below.filter(existed).order_by("path" if rows == ROWS_ALL else "search_name", "code")]


@login_required
@require_GET
def pivot_page(request):
    user = request.user
    scope = units_in_scope(user)
    default_unit = top_unit(user)
    if default_unit is None:
        raise Http404
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("year", str(today.year))
    data.setdefault("unit", default_unit.code)
    asked = bool(request.GET)
    form = PivotForm(data if asked else None, initial={"year": today.year, "unit": default_unit.code})
    unit_code = data.get("unit") or default_unit.code
    unit = scope.filter(code=unit_code).first()
    if unit is None:
        raise Http404
    # Every unit of the scope (a user may hold roles in two subtrees), in tree order.
    context = {"form": form, "unit": unit, "unit_choices": scope.order_by("path")[:MAX_UNIT_CHOICES], "pivot": None,
               "too_big": False}
    if asked and form.is_valid():
        cd = form.cleaned_data
        year = cd["year"] or today.year
        periods = periods_of_year(cd["period_type"] or PeriodType.MONTH, year)
        units = _units(unit, cd["rows"] or ROWS_CHILDREN, year)
        size = len(cd["indicators"]) * len(units) * len(periods)
        wants_xlsx = request.GET.get("format") == "xlsx"
        if size > (MAX_XLSX_CELLS if wants_xlsx else MAX_PAGE_CELLS):
            context["too_big"] = True
            form.add_error(None, _("The table would have %(n)s figures: choose fewer indicators or units, or download "
                                   "it as XLSX.") % {"n": format_number(size, 0)})
        else:
            pivot = pivot_build(indicators=list(cd["indicators"]), units=units, periods=periods,
                                layout=cd["layout"] or LAYOUT_INDICATOR, kind=cd["kind"] or KIND_BEST,
                                skip_empty=cd["empty"] != "show")
            if wants_xlsx:
                with translation.override("vi"):
                    scope_label = f"{unit.name} · Năm {year}"
                response = HttpResponse(pivot_workbook(pivot, scope_label=scope_label), content_type=XLSX_TYPE)
                response["Content-Disposition"] = f'attachment; filename="so-lieu-{unit.code}-{year}.xlsx"'
                return response
            context["pivot"] = pivot
            context["size_text"] = format_number(pivot.size, 0)  # 12.345 số liệu
            query = request.GET.copy()
            query["format"] = "xlsx"
            context["xlsx_query"] = query.urlencode()
    return render(request, "dashboard/pivot.html", context)
