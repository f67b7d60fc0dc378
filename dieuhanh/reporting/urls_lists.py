# Form list and completeness pages (views_lists.py).
from django.urls import path

from dieuhanh.reporting import views

urlpatterns: list = [path("", views.form_list, name="form_list")]
