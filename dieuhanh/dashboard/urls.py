from django.urls import path

from dieuhanh.dashboard import views_indicator, views_unit

app_name = "dashboard"

urlpatterns = [
    path("indicators/<str:code>/", views_indicator.indicator_page, name="indicator"),
    path("units/<str:code>/", views_unit.unit_page, name="unit"),
]
