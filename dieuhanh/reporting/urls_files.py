# XLSX download/upload and CSV import pages (views_files.py).
urlpatterns: list = []
