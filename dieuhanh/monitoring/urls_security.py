"""Information-security incidents, included by monitoring/urls.py under "security/" (names in its namespace)."""

from django.urls import path

from dieuhanh.monitoring import views_security

urlpatterns = [
    path("", views_security.register, name="security_register"),
    path("new/", views_security.create, name="security_create"),
    path("<int:pk>/", views_security.detail, name="security_detail"),
    path("<int:pk>/edit/", views_security.edit, name="security_edit"),
    path("<int:pk>/advance/", views_security.advance, name="security_advance"),
    path("<int:pk>/report/<str:kind>/", views_security.record_report, name="security_record_report"),
    path("<int:pk>/mau-<str:form>.xlsx", views_security.report_xlsx, name="security_xlsx"),
]
