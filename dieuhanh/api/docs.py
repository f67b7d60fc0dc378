"""The API's interactive docs page (/api/v1/docs): Swagger UI from our own static files, no CDN (government networks
are often offline), reading /api/v1/openapi.json. Public, as the OpenAPI itself is: a key is pasted under
'Authorize' and kept in the browser (persistAuthorization) until the page's storage is cleared."""

from django.shortcuts import render
from django.urls import reverse


def docs(request):
    return render(request, "api/docs.html", {"openapi_url": reverse("api-v1:openapi-json")})
