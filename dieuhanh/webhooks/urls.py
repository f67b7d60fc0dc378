from django.urls import path

from dieuhanh.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.delivery_log, name="delivery_log"),
]
