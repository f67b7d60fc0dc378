"""Every page each demo role can reach answers: starting from the home page, every link of the site a page shows is
opened (GET), breadth first, and none answers a server error or a broken link. Unit tests pass while a page breaks
for a role they did not think of; this walks the demo as its users do."""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model

from dieuhanh.demo.build import demo_build

pytestmark = pytest.mark.django_db

PAGES_PER_ROLE = 400  # bounded: the pages of one kind (a report, a task) differ by data, not by code path
PER_KIND = 12  # pages of the same path shape opened per role, e.g. /reporting/forms/<n>/<unit>/<period>/
SKIP = ("/logout/", "/i18n/", "/static/", "/media/")
HREF = re.compile(r'href="([^"]+)"')


def _shape(path: str) -> str:
    """/reporting/forms/4/25480/2026Q3/ → /reporting/forms/#/#/#/: the pages that one view answers."""
    return re.sub(r"/[^/]*\d[^/]*", "/#", path)


def crawl(client) -> tuple[int, list[tuple[str, int, str]]]:
    seen, per_shape, failures = {"/"}, {}, []
    queue, opened = deque([("/", "")]), 0
    while queue and opened < PAGES_PER_ROLE:
        url, source = queue.popleft()
        response = client.get(url)
        opened += 1
        if response.status_code >= 400:
            failures.append((url, response.status_code, source))
            continue
        if response.status_code in (301, 302):
            target = response["Location"]
            if target.startswith("/") and target not in seen and not target.startswith("/login/"):
                seen.add(target)
                queue.append((target, url))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href, _fragment = urldefrag(unescape(href))
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIP) or href in seen:
                continue
            shape = _shape(parts.path)
            if per_shape.get(shape, 0) >= PER_KIND:
                continue
            per_shape[shape] = per_shape.get(shape, 0) + 1
            seen.add(href)
            queue.append((href, url))
    return opened, failures


# Every login the demo prints (checked below, so that a new role is walked too).
LOGINS = ["admin", "lanhdao", "xa.baocao", "xa.pheduyet", "khcn.baocao", "khcn.pheduyet", "vnpt.baocao", "vanphong",
          "chutich", "vanhanh"]


@pytest.mark.parametrize("username", LOGINS)
def test_every_page_a_demo_role_reaches_answers(client, username):
    result = demo_build(small=True)
    assert sorted(login.username for login in result.logins) == sorted(LOGINS)
    client.force_login(get_user_model().objects.get(username=username))
    opened, failures = crawl(client)
    assert opened > 20, f"{username} reached only {opened} pages"
    assert failures == [], failures[:10]
