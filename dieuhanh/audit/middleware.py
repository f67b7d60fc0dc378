"""One middleware for the trail's request-wide parts: it keeps the request being served where signals find it
(recorder.current_request), records every file the product serves (any response that is an attachment or a file),
and records each API call made with a key (marked by api_key_used) with its status once the answer is known."""

from __future__ import annotations

import re
from urllib.parse import unquote

from django.http import FileResponse

from dieuhanh.audit.models import Action
from dieuhanh.audit.recorder import current_request, record

_FILENAME_STAR = re.compile(r"filename\*\s*=\s*(?:[\w-]+)''([^;]+)", re.I)
_FILENAME = re.compile(r'filename\s*=\s*"?([^";]+)"?', re.I)


def api_key_used(request, key) -> None:
    """Called by the API's key check: the call is recorded when its answer leaves (AuditMiddleware)."""
    request._audit_api_key = key


def attachment_name(response) -> str | None:
    """The file name a response is served as, or None if it is not a file (an attachment or a FileResponse)."""
    disposition = response.get("Content-Disposition", "") if hasattr(response, "get") else ""
    if match := _FILENAME_STAR.search(disposition):
        return unquote(match.group(1).strip())
    if match := _FILENAME.search(disposition):
        return match.group(1).strip()
    if disposition.lower().startswith("attachment") or isinstance(response, FileResponse):
        return getattr(response, "filename", "") or ""
    return None


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
            self._record(request, response)
            return response
        finally:
            current_request.reset(token)

    def _record(self, request, response) -> None:
        key = getattr(request, "_audit_api_key", None)
        if key is not None:
            record(Action.API_KEY_USE, request=request, user=key.user, obj=key, unit=key.root_id,
                   text=f"{key.owner_name} · {key.prefix}…",
                   after={"key": key.prefix, "name": key.name, "method": request.method,
                          "status": response.status_code})
        if response.status_code >= 400:
            return
        name = attachment_name(response)
        if name is None:
            return
        action = Action.DOWNLOAD if isinstance(response, FileResponse) else Action.EXPORT
        record(action, request=request, user=key.user if key is not None else None, text=name,
               after={"file": name, "type": response.get("Content-Type", "")})
