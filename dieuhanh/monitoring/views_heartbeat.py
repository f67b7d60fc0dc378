"""The heartbeat URL a system (or its scheduled job) calls to say it is alive: GET or POST /systems/hb/<token>.
No login and no CSRF token (a cron job's curl has neither): the token itself is the secret. An unknown token
answers 404 in plain text, like any missing page."""

from django.http import HttpResponse, HttpResponseNotFound
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dieuhanh.monitoring.services import heartbeat_receive


@csrf_exempt
@require_http_methods(["GET", "POST", "HEAD"])
def heartbeat(request, token: str):
    if heartbeat_receive(token) is None:
        return HttpResponseNotFound("not found\n", content_type="text/plain; charset=utf-8")
    return HttpResponse("OK\n", content_type="text/plain; charset=utf-8")
