from django.urls import include, path

from dieuhanh.api.docs import docs
from dieuhanh.api.v1 import api

# The pages (docs, clients and keys) are in the "api" namespace; the API itself is ninja's "api-v1".
pages = [
    path("v1/docs", docs, name="docs"),
]

urlpatterns = [
    path("", include((pages, "api"))),
    path("v1/", api.urls),
]
