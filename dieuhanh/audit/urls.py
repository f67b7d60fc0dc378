from django.urls import path

from dieuhanh.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.events_page, name="events"),
    path("export.xlsx", views.events_export, name="export"),
]
