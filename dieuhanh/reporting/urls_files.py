# XLSX download/upload and CSV import pages (views_files.py).
from django.urls import path

from dieuhanh.reporting import views_files

urlpatterns: list = [
    path("forms/<int:form_id>/<str:unit_code>/<str:period>/xlsx/", views_files.xlsx_download, name="xlsx_download"),
    path("forms/<int:form_id>/<str:unit_code>/<str:period>/xlsx/upload/", views_files.xlsx_upload,
         name="xlsx_upload"),
    path("import/", views_files.csv_import, name="csv_import"),
]
