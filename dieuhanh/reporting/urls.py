from django.urls import path

from dieuhanh.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.form_list, name="form_list"),
]
