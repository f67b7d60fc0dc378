"""The commendations pages."""

from django.urls import path  # noqa: F401

app_name = "commendations"
urlpatterns: list = []
