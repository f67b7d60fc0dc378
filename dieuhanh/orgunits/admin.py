"""Admin for the registry. Units are read-mostly here: structure changes go through the lineage services,
so the admin never deletes a unit and never edits its code, path or parent."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from dieuhanh.lib.vnformat import fold
from dieuhanh.orgunits.models import LineageEvent, LineageShare, OrgUnit
from dieuhanh.orgunits.services import lineage_shares_check


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "division_type", "parent", "valid_from", "valid_to")
    list_filter = ("kind", "division_type", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("code", "name", "search_name")
    readonly_fields = ("code", "kind", "parent", "path", "search_name", "created_at")
    fields = ("code", "name", "kind", "division_type", "parent", "path", "valid_from", "valid_to",
              "search_name", "created_at")
    list_per_page = 100
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        # Let "hung dien" find "Xã Hưng Điền" here too.
        return super().get_search_results(request, queryset, fold(search_term) or search_term)

    def has_add_permission(self, request):
        return False  # new units come from load_admin_units or the registry services

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.search_name = fold(obj.name)  # keep the search key in step with a corrected name
        super().save_model(request, obj, form, change)


class _SharesFormSet(BaseInlineFormSet):
    def clean(self):
        """The same rule as lineage_shares_set: one share per resulting unit, adding up to 100%."""
        super().clean()
        if any(self.errors) or self.instance.kind != LineageEvent.Kind.SPLIT:
            return
        shares = {f.cleaned_data["orgunit"]: f.cleaned_data["share"] for f in self.forms
                  if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("orgunit")}
        if not shares:
            return
        try:
            lineage_shares_check(self.instance, shares)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class LineageShareInline(admin.TabularInline):
    """A split's allocation shares: what each resulting unit takes of the figures from before the split."""

    model = LineageShare
    formset = _SharesFormSet
    fields = ("orgunit", "share", "basis")
    raw_id_fields = ("orgunit",)
    extra = 0

    def has_add_permission(self, request, obj=None):
        return obj is not None and obj.kind == LineageEvent.Kind.SPLIT


@admin.register(LineageEvent)
class LineageEventAdmin(admin.ModelAdmin):
    inlines = [LineageShareInline]
    list_display = ("effective_date", "kind", "old_name", "new_name", "legal_basis", "created_by")
    list_filter = ("kind",)
    date_hierarchy = "effective_date"
    search_fields = ("old_name", "new_name", "legal_basis", "note")
    readonly_fields = ("kind", "effective_date", "predecessors", "successors", "old_name", "new_name",
                       "old_parent", "new_parent", "created_by", "created_at")
    fields = ("kind", "effective_date", "predecessors", "successors", "old_name", "new_name", "old_parent",
              "new_parent", "legal_basis", "note", "created_by", "created_at")

    def has_add_permission(self, request):
        return False  # events are written by the lineage services together with the unit changes

    def has_delete_permission(self, request, obj=None):
        return False
