"""The administrator's view of the commendation rules (editable data) and of the register (read-only here: awards
and decisions are written through the services, which compute rewards and keep one form per achievement)."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from dieuhanh.commendations.models import (
    Authority,
    Award,
    AwardKind,
    BaseSalary,
    Decision,
    EmulationMovement,
    EmulationRegistration,
    Person,
    RewardMultiple,
    ShareCap,
    VoteThreshold,
)
from dieuhanh.lib.admin import ReadOnlyAdmin  # registrations, decisions and awards: written by the services
from dieuhanh.lib.vnformat import fold, format_number


@admin.display(description=_("status"))
def rule_status(obj) -> str:
    return obj.status_label


@admin.display(description=_("reward (đồng)"), ordering="amount")
def reward(obj) -> str:
    # Grouped as officials write money, "710.000"; the admin would print 710000.
    return format_number(obj.amount, 0) if obj.amount is not None else "-"


@admin.display(description=_("amount (đồng a month)"), ordering="amount")
def salary(obj) -> str:
    return format_number(obj.amount, 0)


class RewardMultipleInline(admin.TabularInline):
    model = RewardMultiple
    extra = 0
    fields = ["multiple", "valid_from", "valid_to", "legal_source", "confirmed", "unconfirmed_note"]


class VoteThresholdInline(admin.TabularInline):
    model = VoteThreshold
    extra = 0
    fields = ["percent", "valid_from", "valid_to", "legal_source", "confirmed", "unconfirmed_note"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "rank"]
    search_fields = ["code", "name"]


@admin.register(AwardKind)
class AwardKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "recipient", "rank", rule_status, "valid_from", "valid_to"]
    list_filter = ["category", "recipient", "confirmed", "authorities"]
    search_fields = ["code", "name"]
    # A handful of authorities: ticks read better than the two-box selector, whose texts Django's JavaScript
    # catalogue leaves in English.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [RewardMultipleInline, VoteThresholdInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "category", "recipient", "authorities", "rank", "valid_from",
                           "valid_to"]}),
        (_("Source and confirmation"), {"fields": ["legal_source", "confirmed", "unconfirmed_note"]}),
    ]


@admin.register(RewardMultiple)
class RewardMultipleAdmin(admin.ModelAdmin):
    list_display = ["kind", "multiple", "valid_from", "valid_to", "legal_source", rule_status]
    list_filter = ["confirmed"]
    list_select_related = ["kind"]


@admin.register(VoteThreshold)
class VoteThresholdAdmin(admin.ModelAdmin):
    list_display = ["kind", "percent", "valid_from", "valid_to", "legal_source", rule_status]
    list_filter = ["confirmed"]
    list_select_related = ["kind"]


@admin.register(BaseSalary)
class BaseSalaryAdmin(admin.ModelAdmin):
    list_display = ["valid_from", salary, "legal_source"]


@admin.register(ShareCap)
class ShareCapAdmin(admin.ModelAdmin):
    list_display = ["kind", "percent", "of_kind", "orgunit", "enabled", "valid_from", "valid_to", rule_status]
    list_filter = ["enabled", "confirmed"]
    list_select_related = ["kind", "of_kind", "orgunit"]
    autocomplete_fields = ["orgunit"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position", "unit", "gender", "left_on"]
    list_select_related = ["unit"]
    list_filter = ["gender"]
    search_fields = ["search_name", "position"]
    autocomplete_fields = ["unit", "user"]

    def save_model(self, request, obj, form, change):
        obj.search_name = fold(obj.full_name)
        super().save_model(request, obj, form, change)

    def get_search_results(self, request, queryset, search_term):
        # Names are searched without diacritics, so that "nguyen van an" finds "Nguyễn Văn An".
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(EmulationMovement)
class EmulationMovementAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organiser", "start_date", "end_date", "launch_document"]
    list_filter = ["kind"]
    list_select_related = ["organiser"]
    search_fields = ["name", "launch_document"]
    autocomplete_fields = ["organiser"]


@admin.register(EmulationRegistration)
class EmulationRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["year", "person", "unit", "movement", "registered_on"]
    list_filter = ["year"]
    list_select_related = ["person", "unit", "movement"]


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0
    fields = ["kind", "person", "unit", "year", "achievement", "amount"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "authority", "issuer", "signer_name"]
    list_filter = ["authority"]
    list_select_related = ["authority", "issuer"]
    search_fields = ["number", "signer_name", "excerpt"]
    date_hierarchy = "date"
    inlines = [AwardInline]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["year", "kind", "person", "unit", "achievement", "decision", reward]
    list_filter = ["year", "kind", "achievement"]
    list_select_related = ["kind", "person", "unit", "decision"]
    search_fields = ["person__search_name", "unit__name", "decision__number"]
