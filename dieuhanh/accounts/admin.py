from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from dieuhanh.accounts.models import ApiClient, ApiKey, RoleAssignment
from dieuhanh.accounts.passwords import password_set_by_administrator
from dieuhanh.lib.admin import ReadOnlyAdmin


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

    # A password an administrator typed (for a new person, or as a reset) serves one login: the person then chooses
    # their own (dieuhanh/accounts/passwords.py).
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            password_set_by_administrator(user=obj)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            password_set_by_administrator(user=self.get_object(request, unquote(id)))
        return response


# Clients and keys are made and revoked on their own pages (/api/clients/, /api/tokens/), through the services that
# keep a client's service-account roles in step; the admin only shows them.
@admin.register(ApiClient)
class ApiClientAdmin(ReadOnlyAdmin):
    list_display = ("name", "contact", "active", "user", "created_at")
    search_fields = ("name", "contact")


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "client", "user", "name", "root", "access", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("access", "client")
    search_fields = ("prefix", "name", "client__name", "user__username")
    list_select_related = ("client", "user", "root")
    exclude = ("hashed",)
