from django.urls import include, path

app_name = "monitoring"
urlpatterns: list = [
    path("security/", include("dieuhanh.monitoring.urls_security")),
]
