from django.urls import path

from dieuhanh.orgunits import views

app_name = "orgunits"
urlpatterns = [
    path("", views.unit_tree, name="tree"),
    path("<str:code>/", views.unit_detail, name="detail"),
    path("<str:code>/change/", views.unit_change, name="change"),
]
