# XLSX download/upload and CSV import pages (owned by the files work; see views_files.py).
urlpatterns: list = []
