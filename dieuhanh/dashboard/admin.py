from django.contrib import admin

from dieuhanh.dashboard.models import Card, Dashboard


class CardInline(admin.TabularInline):
    model = Card
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(Dashboard)
class DashboardAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "orgunit", "is_default", "active", "order"]
    list_filter = ["active", "is_default", "sector"]
    search_fields = ["name"]
    filter_horizontal = ["users", "orgunits"]
    inlines = [CardInline]
