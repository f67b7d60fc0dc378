from django.urls import include, path

from dieuhanh.monitoring import views_board, views_heartbeat, views_incidents, views_registry, views_system

app_name = "monitoring"
urlpatterns = [
    path("", views_board.board, name="board"),
    # Information-security incidents (another helper's views): before "<slug:code>/", which would take "security".
    path("security/", include("dieuhanh.monitoring.urls_security")),
    # A system's (or its job's) heartbeat: no login, the token is the secret (core's view).
    path("hb/<str:token>", views_heartbeat.heartbeat, name="heartbeat"),
    path("new/", views_registry.system_create, name="system_create"),
    path("incidents/", views_incidents.incident_list, name="incident_list"),
    path("incidents/new/", views_incidents.incident_open, name="incident_open"),
    path("incidents/<int:pk>/", views_incidents.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/acknowledge/", views_incidents.incident_acknowledge, name="incident_acknowledge"),
    path("incidents/<int:pk>/note/", views_incidents.incident_note, name="incident_note"),
    path("incidents/<int:pk>/close/", views_incidents.incident_close, name="incident_close"),
    path("maintenance/", views_registry.maintenance_list, name="maintenance_list"),
    path("maintenance/new/", views_registry.maintenance_create, name="maintenance_create"),
    path("maintenance/<int:pk>/", views_registry.maintenance_edit, name="maintenance_edit"),
    path("maintenance/<int:pk>/end/", views_registry.maintenance_end, name="maintenance_end"),
    path("<slug:code>/", views_system.system_detail, name="system_detail"),
    path("<slug:code>/edit/", views_registry.system_edit, name="system_edit"),
    path("<slug:code>/checks/new/", views_registry.check_create, name="check_create"),
    path("<slug:code>/checks/<int:pk>/", views_registry.check_edit, name="check_edit"),
]
