# Form list and completeness pages (views_lists.py).
# The completeness path comes before urls_entry's generic "forms/<id>/<unit_code>/<period>/" in urls.py.
from django.urls import path

from dieuhanh.reporting import views_lists

urlpatterns: list = [
    path("", views_lists.form_list, name="form_list"),
    path("forms/<int:form_id>/completeness/<str:period>/", views_lists.completeness_page, name="completeness"),
]
