"""Resetting a forgotten password by e-mail: Django's views with our pages and a Vietnamese e-mail.

The page answers the same whether or not an account has the address (no one learns who has an account here). The
link works once and for settings.PASSWORD_RESET_TIMEOUT seconds. It only sets the password: the person then logs in
as always, through the lockout and the second factor; the new password follows the rules (password_rules.py), ends
the person's other sessions and no longer needs changing (passwords.PasswordState).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from dieuhanh.accounts.passwords import password_changed


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "password_reset_form.html"
    email_template_name = "password_reset_email.txt"
    subject_template_name = "password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    @property
    def extra_email_context(self):
        # Behind a proxy the request's host may be an internal name; SITE_URL (when set) is the address people use.
        return {"site_url": settings.SITE_URL.rstrip("/")}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "timeout_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    post_reset_login = False  # never: the login (lockout, second factor) is the way in

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "password_reset_complete.html"
