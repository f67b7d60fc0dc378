from django.urls import path

from dieuhanh.dashboard import views_config, views_indicator, views_pivot, views_unit, views_wall

app_name = "dashboard"

urlpatterns = [
    path("indicators/<str:code>/", views_indicator.indicator_page, name="indicator"),
    path("units/<str:code>/", views_unit.unit_page, name="unit"),
    path("units/<str:code>/indicators/", views_unit.unit_indicators, name="unit_indicators"),
    path("dashboards/", views_config.config_list, name="config_list"),
    path("dashboards/new/", views_config.config_create, name="config_create"),
    path("dashboards/<int:pk>/", views_config.config_edit, name="config_edit"),
    path("dashboards/<int:pk>/cards/", views_config.card_add, name="card_add"),
    path("dashboards/<int:pk>/cards/<int:card_pk>/move/", views_config.card_move, name="card_move"),
    path("dashboards/<int:pk>/cards/<int:card_pk>/remove/", views_config.card_remove, name="card_remove"),
    path("pivot/", views_pivot.pivot_page, name="pivot"),
    path("wall/", views_wall.wall_page, name="wall"),
    path("wall/panels/", views_wall.wall_panels, name="wall_panels"),
]
