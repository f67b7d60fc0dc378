from django.urls import path

from dieuhanh.reporting import views
from dieuhanh.reporting.urls_files import urlpatterns as file_urlpatterns

app_name = "reporting"
urlpatterns = [
    path("", views.form_list, name="form_list"),
    *file_urlpatterns,
]
