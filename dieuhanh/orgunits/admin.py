"""Admin for the registry. Units are read-mostly here: structure changes go through the lineage services,
so the admin never deletes a unit and never edits its code, path or parent."""

from django.contrib import admin

from dieuhanh.lib.vnformat import fold
from dieuhanh.orgunits.models import LineageEvent, OrgUnit


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


@admin.register(LineageEvent)
class LineageEventAdmin(admin.ModelAdmin):
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
