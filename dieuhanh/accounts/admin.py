from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from dieuhanh.accounts.models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "orgunit", "created_at")
    list_filter = ("role", "orgunit__kind")
    search_fields = ("user__username", "user__first_name", "user__last_name", "orgunit__name", "orgunit__code")
    autocomplete_fields = ("user", "orgunit")
    list_select_related = ("user", "orgunit")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ("orgunit",)
    fields = ("role", "orgunit", "created_at")
    readonly_fields = ("created_at",)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [*BaseUserAdmin.inlines, RoleAssignmentInline]
