from django.urls import path

from . import views, views_rules

app_name = "alerts"
urlpatterns = [
    path("", views_rules.alert_list, name="alerts"),
    path("<int:pk>/", views_rules.alert_detail, name="alert_detail"),
    path("rules/", views_rules.rule_list, name="rules"),
    path("rules/new/", views_rules.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", views_rules.rule_edit, name="rule_edit"),
    path("silences/", views_rules.silence_list, name="silences"),
    path("silences/<int:pk>/end/", views_rules.silence_end, name="silence_end"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("settings/", views.preference_edit, name="settings"),
]
