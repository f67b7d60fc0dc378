from dieuhanh.reporting.urls_entry import urlpatterns as entry_urlpatterns
from dieuhanh.reporting.urls_files import urlpatterns as file_urlpatterns
from dieuhanh.reporting.urls_lists import urlpatterns as list_urlpatterns

# Three groups of pages, each in its own module: lists and completeness, data entry and workflow, file exchange.
app_name = "reporting"
urlpatterns = [*list_urlpatterns, *entry_urlpatterns, *file_urlpatterns]
