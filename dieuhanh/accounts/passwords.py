"""Passwords a person must change before working: one set by an administrator, and — outside the demo — the demo's
shared password, which every reader of the README knows.

The rule is decided at login (checking a password costs a hash, too dear for every page) and kept in the session;
`PasswordChangeRequiredMiddleware` then sends every page to the change form until the person has chosen their own.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.accounts.models import PasswordState

SESSION_KEY = "password_change_required"
DEMO_PASSWORD = "DieuHanh@2026"  # the demo's users all have it (the demo prints it; the README names it)


def password_change_required(user, typed: str) -> bool:
    """Whether `user`, who just logged in with `typed`, must choose a new password first."""
    if PasswordState.objects.filter(user=user, change_required=True).exists():
        return True
    return not settings.DEMO_PASSWORD_ALLOWED and typed == DEMO_PASSWORD


@transaction.atomic
def password_set_by_administrator(*, user) -> None:
    PasswordState.objects.update_or_create(user=user, defaults={"change_required": True})


@transaction.atomic
def password_changed(*, user) -> None:
    PasswordState.objects.update_or_create(user=user, defaults={"change_required": False,
                                                                "changed_at": timezone.now()})


class LoginView(auth_views.LoginView):
    template_name = "login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        if password_change_required(form.get_user(), form.cleaned_data.get("password", "")):
            self.request.session[SESSION_KEY] = True
            messages.warning(self.request, _("Choose your own password before you go on: the one you logged in with "
                                             "was set by someone else."))
            return redirect("password_change")
        return response


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, refusing to "change" to the same password or, outside the demo, to the demo's."""

    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1", "")
        if new and self.user.check_password(new):
            raise ValidationError(_("Choose a password different from the current one."), code="same")
        if new == DEMO_PASSWORD and not settings.DEMO_PASSWORD_ALLOWED:
            raise ValidationError(_("This is the demo's password, which everyone knows; choose another."),
                                  code="demo")
        return new


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "password_change.html"
    success_url = reverse_lazy("home")
    form_class = PasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=form.user)
        self.request.session.pop(SESSION_KEY, None)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordChangeRequiredMiddleware:
    """Every page but the change form, logging out and the language switch waits for the new password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(SESSION_KEY) and request.user.is_authenticated:
            allowed = (reverse("password_change"), reverse("logout"), "/i18n/", settings.STATIC_URL)
            if not request.path.startswith(allowed):
                return redirect("password_change")
        return self.get_response(request)
