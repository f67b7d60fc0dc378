from django.urls import include, path

from dieuhanh.api.docs import docs, not_found
from dieuhanh.api.v1 import api

# The pages (docs, clients and keys) are in the "api" namespace; the API itself is ninja's "api-v1".
pages = [
    path("v1/docs", docs, name="docs"),
]

urlpatterns = [
    path("", include((pages, "api"))),
    path("v1/", api.urls),
    # Any other address under v1 (an unknown path, a path parameter its converter refuses such as a negative id)
    # answers the API's 404 in its one error shape, not Django's HTML page.
    path("v1/<path:rest>", not_found),
]
