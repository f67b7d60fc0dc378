# Data-entry, workflow and per-cell history pages (views_entry.py).
urlpatterns: list = []
