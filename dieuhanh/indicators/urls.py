from django.urls import path

from dieuhanh.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
]
