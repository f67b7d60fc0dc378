from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from dieuhanh.accounts import password_reset, passwords, sessions, twofactor_views
from dieuhanh.dashboard import views_overview, views_worklist

# The admin's titles say whose it is, in the interface's language (Django's default: 'Django administration').
admin.site.site_header = admin.site.site_title = _("Điều hành administration")

urlpatterns = [
    path("", views_overview.overview, name="home"),
    path("work/", views_worklist.worklist_page, name="worklist"),
    path("login/", passwords.LoginView.as_view(), name="login"),
    path("password/", passwords.PasswordChangeView.as_view(), name="password_change"),
    # A forgotten password, by e-mail (dieuhanh/accounts/password_reset.py); one's own sessions (accounts/sessions.py).
    path("password/reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", password_reset.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", password_reset.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/done/", password_reset.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("account/sessions/", sessions.session_list, name="account_sessions"),
    path("account/sessions/<int:pk>/end/", sessions.session_end, name="account_session_end"),
    path("account/sessions/end-others/", sessions.sessions_end_all_others, name="account_sessions_end_others"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/2fa/", include(twofactor_views.urls)),  # two-factor login: set-up, the code at login, recovery
    path("i18n/", include("django.conf.urls.i18n")),
    path("units/", include("dieuhanh.orgunits.urls")),
    path("indicators/", include("dieuhanh.indicators.urls")),
    path("reporting/", include("dieuhanh.reporting.urls")),
    path("tasks/", include("dieuhanh.assignments.urls")),
    path("ioc/", include("dieuhanh.dashboard.urls")),
    path("api/", include("dieuhanh.api.urls")),
    path("webhooks/", include("dieuhanh.webhooks.urls")),
    # Systems, incidents and the public status page (the status page needs no login).
    path("systems/", include("dieuhanh.monitoring.urls")),
    path("status/", include("dieuhanh.monitoring.urls_public")),
    path("alerts/", include("dieuhanh.alerts.urls")),
    path("reports/", include("dieuhanh.reports.urls")),
    path("commendations/", include("dieuhanh.commendations.urls")),
    path("audit/", include("dieuhanh.audit.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),  # ADMIN_PATH: the administration's address, from the environment
]
