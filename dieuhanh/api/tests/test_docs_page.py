"""The docs page: Swagger UI from our own static files (no outside host), over our OpenAPI."""

import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_the_docs_page_and_its_assets_are_ours(db):
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-openapi-url="/api/v1/openapi.json"' in html
    # Every address the page loads or links is on this site: no CDN, no outside host.
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses and all(a.startswith("/") and not a.startswith("//") for a in addresses), addresses
    assert "http://" not in html and "https://" not in html
    for asset in ("vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui.css", "api/docs.js"):
        assert f"/static/{asset}" in addresses
        assert finders.find(asset), f"{asset} is not in the static files (make setup copies the vendor ones)"
    script = open(finders.find("api/docs.js"), encoding="utf-8").read()
    assert "persistAuthorization: true" in script and "validatorUrl: null" in script
    assert Client().get("/api/v1/openapi.json").status_code == 200


def test_the_docs_assets_are_served(live_server):
    import urllib.request

    for asset in ("vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui.css",
                  "vendor/swagger-ui/swagger-ui.css.map", "api/docs.js", "api/docs.css"):
        with urllib.request.urlopen(f"{live_server.url}/static/{asset}") as answer:
            assert answer.status == 200 and len(answer.read()) > 100



def test_an_unknown_api_address_answers_the_apis_404(db):
    for method, address in (("get", "/api/v1/nothing/here"), ("post", "/api/v1/webhooks/-3/deliveries/x/redeliver")):
        answer = getattr(Client(), method)(address)
        assert answer.status_code == 404 and answer["Content-Type"] == "application/json"
        assert answer.json()["code"] == "E_NOT_FOUND" and "Không tìm thấy" in answer.json()["message"]
