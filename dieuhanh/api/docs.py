"""The API's interactive docs page (/api/v1/docs): Swagger UI from our own static files, no CDN (government networks
are often offline), reading /api/v1/openapi.json. Public, as the OpenAPI itself is: a key is pasted under
'Authorize' and kept in the browser (persistAuthorization) until the page's storage is cleared."""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from dieuhanh.api.errors import error_body


def docs(request):
    return render(request, "api/docs.html", {"openapi_url": reverse("api-v1:openapi-json")})


@csrf_exempt  # an API answer: keys, not cookies (a POST to an unknown address gets the 404, not CSRF's 403)
def not_found(request):
    """An address under /api/v1/ that no endpoint serves: the API's 404, in its one error shape."""
    return JsonResponse(error_body("E_NOT_FOUND", _("Not found, or outside what this key may reach")), status=404,
                        json_dumps_params={"ensure_ascii": False})
