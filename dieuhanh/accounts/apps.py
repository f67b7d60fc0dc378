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
        # A request that changes roles reads them again afterwards (lib/requestmemo.py).
        from django.db.models.signals import post_delete, post_save

        from dieuhanh.accounts.models import RoleAssignment
        from dieuhanh.lib import requestmemo

        for signal in (post_save, post_delete):
            signal.connect(requestmemo.forget, sender=RoleAssignment, dispatch_uid=f"accounts.roles_{signal}")
