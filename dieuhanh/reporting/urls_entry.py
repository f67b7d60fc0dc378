# Data-entry, workflow and per-cell history pages (views_entry.py).
from django.urls import path

from dieuhanh.reporting import views_entry

urlpatterns: list = [
    path("forms/<int:form_id>/<str:unit_code>/<str:period>/", views_entry.entry_page, name="entry"),
    path(
        "forms/<int:form_id>/<str:unit_code>/<str:period>/history/<int:indicator_id>/<str:kind>/",
        views_entry.cell_history,
        name="cell_history",
    ),
]
