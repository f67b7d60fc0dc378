"""Locust users for `make loadtest` (run by `python -m dieuhanh.loadtest`, which starts the server and reads the
results; see that module for the scenarios and the targets).

- `Leader` opens the overview again and again, as a leader keeping it open on a phone or a desk screen would when
  the figures matter (a pause of LOADTEST_LEADER_WAIT seconds between pages, default 1-3 s).
- `LeaderReader` (mixed load) reads the overview, an indicator's page and a unit's page.
- `Wall` is a screen of the IOC room: the wall page once, then its HTMX refresh of the panels every 60 s.
- `Reporter` opens one of its unit's entry forms, types figures for a few seconds and saves them with the page's
  CSRF token and version. A save counts only when the page answers "Draft saved". Each reporter logs in as the
  reporter of its own unit (LOADTEST_REPORTERS, made by dieuhanh.loadtest; the demo's two reporters without it).
  Should someone else have saved the same report in between (more simulated reporters than logins), the page
  reports the conflict (correct behaviour, counted as "save conflict") and the reporter opens the form again and
  saves once more, as a person would.

Several locust leaders share each demo login; each keeps its own session (its own cookies).
"""

from __future__ import annotations

import html
import itertools
import os
import random
import re

import gevent
import gevent.event
from locust import HttpUser, between, constant, events, task
from locust.clients import HttpSession

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "DieuHanh@2026")
LEADERS = ["lanhdao", "chutich"]
# One login per simulated reporter, each of its own unit; else the demo's reporters with reports open.
REPORTERS = [name for name in os.environ.get("LOADTEST_REPORTERS", "").split(",") if name] or [
    "khcn.baocao", "vnpt.baocao"]
# Pages the mixed load reads when the overview does not link them: the demo's indicators on the overview, the province.
INDICATORS = ["/ioc/indicators/DT_VT/", "/ioc/indicators/THU_NS/", "/ioc/indicators/XK/", "/ioc/indicators/FDI/"]
UNITS = ["/ioc/units/80/"]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ENTRY_LINK = re.compile(r'href="(/reporting/forms/\d+/(?!completeness/)[^/"]+/\d{4}[^/"]*/)"')
INDICATOR_LINK = re.compile(r'href="(/ioc/indicators/[^/"?]+/)')
UNIT_LINK = re.compile(r'href="(/ioc/units/[^/"?]+/)')
CELL = re.compile(r'<input type="text" inputmode="decimal"[^>]*?name="(v-\d+-\w+)"[^>]*?>', re.S)
VERSION = re.compile(r'name="version" value="(\d+)"')
# Reporters sharing a report (more simulated reporters than logins) may meet another's newer version (the page says
# so, correctly): the reporter opens the form again and saves once more.
SAVE_ATTEMPTS = 10
CONFLICT = re.compile(r'id="conflict"')  # the entry page's "Not saved: conflict" box

_numbers = itertools.count()
_reporter_numbers = itertools.count()  # its own count: each reporter a login of its own while there are enough


class BehindProxy(HttpSession):
    """A browser talking HTTPS to nginx: the site's cookies are Secure (DEBUG off), but the load test talks to
    gunicorn over nginx's plain-HTTP hop on 127.0.0.1, so the cookies are sent as a browser would send them over
    HTTPS. (Redirects are not followed where a redirect sets a cookie: requests would drop it again.)"""

    def prepare_request(self, request):
        for cookie in self.cookies:
            cookie.secure = False
        return super().prepare_request(request)


def log_in(user: HttpUser, username: str) -> None:
    """Log in through the login page (its CSRF token), as a browser does; a failure fails the user's start.

    Every request carries `X-Forwarded-Proto: https`, as nginx in front of gunicorn sends it (deploy/): the
    production settings redirect plain HTTP to HTTPS and keep the session and CSRF cookies Secure."""
    user.client.__class__ = BehindProxy
    user.client.headers["X-Forwarded-Proto"] = "https"
    # One connection per request, as nginx talks to its upstream by default: a kept-alive connection that gunicorn
    # closed while the user was reading (after its 5 s keep-alive) would be reset on reuse, an artefact of the test.
    user.client.headers["Connection"] = "close"
    page = user.client.get("/login/", name="login page")
    token = CSRF.search(page.text)
    with user.client.post("/login/", data={"username": username, "password": PASSWORD,
                                           "csrfmiddlewaretoken": token.group(1) if token else "", "next": "/"},
                          headers={"Referer": referer(user, "/login/")}, name="login", catch_response=True,
                          allow_redirects=False) as r:
        where = r.headers.get("Location", "")
        if r.status_code != 302 or "/login/" in where or "/password/" in where:
            r.failure(f"login of {username} did not reach the site ({r.status_code}, to {where!r})")
    crowd_wait(user)


_arrived = itertools.count(1)
_crowd_in = gevent.event.Event()


def crowd_wait(user: HttpUser) -> None:
    """Wait until every user has logged in, then start within a few seconds of each other. The figures count from
    the moment the last login is done: a login is slow on purpose (the password hash, about half a second of CPU),
    so a hundred of them are a storm of their own, not the crowd reading its pages. A failed login still counts
    (as a failure, before the reset, and as the pages after it failing)."""
    if next(_arrived) >= user.environment.parsed_options.num_users and not _crowd_in.is_set():
        user.environment.stats.reset_all()
        _crowd_in.set()
    _crowd_in.wait()
    gevent.sleep(random.uniform(0, 3))


class Leader(HttpUser):
    """Scenario (a): a leader on the overview."""

    wait_time = between(*(float(x) for x in os.environ.get("LOADTEST_LEADER_WAIT", "1,3").split(",")))

    def on_start(self):
        log_in(self, LEADERS[next(_numbers) % len(LEADERS)])

    @task
    def overview(self):
        read_overview(self)


class LeaderReader(HttpUser):
    """Mixed load: a leader reading the overview and drilling down to indicators and units."""

    wait_time = between(2, 6)
    weight = 10

    def on_start(self):
        log_in(self, LEADERS[next(_numbers) % len(LEADERS)])
        page = read_overview(self)
        self.indicators = sorted(set(INDICATOR_LINK.findall(page))) or INDICATORS
        self.units = sorted(set(UNIT_LINK.findall(page))) or UNITS

    @task(3)
    def overview(self):
        read_overview(self)

    @task(2)
    def indicator(self):
        self.client.get(random.choice(self.indicators), name="indicator page")

    @task(1)
    def unit(self):
        self.client.get(random.choice(self.units), name="unit page")


class Wall(HttpUser):
    """Mixed load: a screen of the IOC room showing the wall, its panels refreshed by HTMX every 60 s."""

    wait_time = constant(60)
    weight = 2

    def on_start(self):
        log_in(self, LEADERS[next(_numbers) % len(LEADERS)])
        self.client.get("/ioc/wall/", name="wall")

    @task
    def refresh(self):
        self.client.get("/ioc/wall/panels/", name="wall panels (HTMX)", headers={"HX-Request": "true"})


class Reporter(HttpUser):
    """Mixed load: a reporting official saving figures in an entry form."""

    wait_time = between(10, 30)
    weight = 4

    def on_start(self):
        number = next(_reporter_numbers)
        log_in(self, REPORTERS[number % len(REPORTERS)])
        links = sorted(set(ENTRY_LINK.findall(self.client.get("/reporting/", name="reporting list").text)))
        # The reports still open for entry (a submitted one is locked): each user takes one of them in turn.
        editable = [link for link in links
                    if editable_cells(self.client.get(link, name="entry form").text)]
        self.entry = editable[number // len(REPORTERS) % len(editable)] if editable else None
        if self.entry is None:
            events.request.fire(request_type="SAVE", name="save figures", response_time=0, response_length=0,
                                exception=RuntimeError("no report open for entry"))

    @task
    def save(self):
        if self.entry is None:
            return
        for attempt in range(SAVE_ATTEMPTS):
            form = self.client.get(self.entry, name="entry form").text
            cells = editable_cells(form)
            token, version = CSRF.search(form), VERSION.search(form)
            if not cells or token is None or version is None:
                events.request.fire(request_type="SAVE", name="save figures", response_time=0, response_length=0,
                                    exception=RuntimeError(f"no editable cell in {self.entry}"))
                return
            if attempt == 0:
                gevent.sleep(random.uniform(2, 5))  # typing the figures
            data = {"csrfmiddlewaretoken": html.unescape(token.group(1)), "version": version.group(1),
                    "action": "save"}
            data.update(typed_figures(form))
            # The page redirects to itself only once the figures are saved ("Draft saved"); otherwise it answers 200
            # with the conflict or the problems.
            with self.client.post(self.entry, data=data, headers={"Referer": referer(self, self.entry)},
                                  name="save figures", catch_response=True, allow_redirects=False) as r:
                if r.status_code == 302 and r.headers.get("Location", "").endswith(self.entry):
                    return
                if r.ok and CONFLICT.search(r.text) and attempt < SAVE_ATTEMPTS - 1:
                    r.success()  # the page reported the conflict: open the form again
                    events.request.fire(request_type="SAVE", name="save conflict (form reopened)",
                                        response_time=0, response_length=0, exception=None)
                    continue
                if r.ok:
                    r.failure("the figures were not saved: " + _first_alert(r.text))
                return


def read_overview(user: HttpUser) -> str:
    with user.client.get("/", name="overview", catch_response=True) as r:
        if r.ok and "kpi-number" not in r.text:
            r.failure("the overview came without its KPI cards")
        return r.text


def typed_figures(form: str) -> dict[str, str]:
    """Figures for every open cell that keep the form's rules: a part ("of which" rows, shown in italics) small,
    the others larger, so that the parts never add up to more than their total."""
    typed = {}
    for row in form.split("<tr")[1:]:
        low, high = (1, 9) if 'class="ps-4 fst-italic"' in row else (50, 99)
        typed.update({name: str(random.randint(low, high)) for name in editable_cells(row)})
    return typed


def editable_cells(form: str) -> list[str]:
    return [m.group(1) for m in CELL.finditer(form) if "disabled" not in m.group(0)]


def referer(user: HttpUser, path: str) -> str:
    """The page a form was posted from, as the browser names it: over HTTPS (Django's CSRF check compares it)."""
    return user.host.replace("http://", "https://", 1) + path


def _first_alert(page: str) -> str:
    found = re.search(r'class="alert alert-danger[^"]*"[^>]*>(.*?)</div>', page, re.S)
    return re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", found.group(1))).strip()[:200] if found else "no message"
