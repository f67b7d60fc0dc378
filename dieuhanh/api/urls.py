from django.urls import include, path, re_path

from dieuhanh.api import views_clients, views_tokens
from dieuhanh.api.docs import docs, not_found
from dieuhanh.api.v1 import api

# The pages (docs, clients and keys) are in the "api" namespace; the API itself is ninja's "api-v1".
pages = [
    path("v1/docs", docs, name="docs"),
    path("clients/", views_clients.client_list, name="clients"),
    path("clients/new/", views_clients.client_new, name="client_new"),
    path("clients/<int:pk>/", views_clients.client_detail, name="client"),
    path("keys/<int:pk>/made/", views_clients.key_made, name="key_made"),
    path("keys/<int:pk>/revoke/", views_clients.key_revoke, name="key_revoke"),
    path("tokens/", views_tokens.token_list, name="tokens"),
]

urlpatterns = [
    path("", include((pages, "api"))),
    path("v1/", api.urls),
    # Any other address under v1 (an unknown path, a path parameter its converter refuses such as a negative id)
    # answers the API's 404 in its one error shape, not Django's HTML page.
    re_path(r"^v1/", not_found),
]
