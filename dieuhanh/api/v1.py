"""The data API, version 1 (`/api/v1/`): the province's other systems read and write through the same services and
selectors as the pages. OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs."""

import datetime

from django.conf import settings
from ninja import Field, NinjaAPI, Schema

from dieuhanh.api import errors
from dieuhanh.api.auth import AUTH, KeyRateThrottle

api = NinjaAPI(
    title="Điều hành API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "API dữ liệu của Điều hành. Xác thực bằng khóa: `Authorization: Bearer <khóa>`. "
        "Nhập dataValueSets theo mặc định là *tất cả hoặc không* (khác DHIS2, mặc định nhập từng phần)."
    ),
    auth=AUTH,
    throttle=[KeyRateThrottle()],
    docs_url=None,  # our own page (dieuhanh/api/docs.py) serves the docs' assets from our static files
)
errors.install(api)


def _routers():
    # Each part of the API is one module with a `router`; added here so the OpenAPI lists them in this order.
    from dieuhanh.api import analytics, meta, reports, systems, tasks, values, webhooks

    for module, prefix in ((meta, ""), (values, ""), (reports, "/reports"), (analytics, "/analytics"),
                           (tasks, "/tasks"), (webhooks, "/webhooks"),
                           (systems, "/systems")):
        api.add_router(prefix, module.router)


_routers()


class KeyOut(Schema):
    name: str = Field(description="the calling system's name, or the person's")
    client: bool = Field(description="true for an external system's key, false for a person's token")
    access: str = Field(description="read | read_write")
    root: str | None = Field(description="code of the unit whose subtree the key reaches; null: all of the user's")
    expires_at: datetime.datetime | None
    rate_per_minute: int


@api.get("/me", response=KeyOut, tags=["keys"], summary="The key in use: whose it is, what it reaches")
def me(request):
    key = request.auth.key
    return KeyOut(name=request.auth.name, client=key.client_id is not None, access=key.access,
                  root=key.root.code if key.root_id else None, expires_at=key.expires_at,
                  rate_per_minute=key.rate_per_minute or settings.API_RATE_PER_MINUTE)
