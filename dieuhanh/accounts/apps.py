from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dieuhanh.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from dieuhanh.accounts.sessions import session_started

        # Every login passes there (the login page, the admin's, a test's force_login): the session is listed.
        user_logged_in.connect(session_started, dispatch_uid="accounts.session_started")
