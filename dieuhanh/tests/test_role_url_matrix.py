"""Every URL pattern × every demo role (and anonymous) × every method: no server error, no unintended write, no
other unit's object shown. The URLs come from the URL configuration itself, so a page is covered the day it is
added: each path argument is filled from a table of real demo objects (one in the role's units, others outside);
a pattern with an argument the table cannot fill fails the test and says which entry to add.

A write is seen by triggers on every table (row-level, on INSERT, DELETE and UPDATE of the columns that matter),
which note the table and row into a side table; each request runs in a savepoint that is rolled back afterwards, so
every request starts from the same demo and one request's write cannot hide or cause another's. Counting rows would
miss an UPDATE; a trigger does not."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import cycle, islice

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from dieuhanh.accounts.keys import apiclient_create, apikey_create
from dieuhanh.accounts.models import ApiKey
from dieuhanh.accounts.selectors import roles_on
from dieuhanh.demo.build import demo_build

pytestmark = pytest.mark.django_db

LOGINS = ["admin", "lanhdao", "chutich", "vanphong", "vanhanh", "khcn.baocao", "khcn.pheduyet", "xa.baocao",
          "xa.pheduyet", "vnpt.baocao"]
ANONYMOUS = "(anonymous)"
API_PREFIX = "api/v1/"
API_METHODS = ("get", "post", "put", "patch", "delete")
PAGE_METHODS = ("get", "post")
# The admin site answers every person who is not staff with the same redirect (AdminSite.has_permission): its ~340
# patterns are walked by the administrator, anonymous and one person who is not staff, not by each role again.
ADMIN_PEOPLE = {ANONYMOUS, "admin", "xa.baocao"}

# Tables any request may write: sessions, login throttling, the audit trail, who is logged in where; and the
# systems' finished days (SystemDays), a kept copy derived from the checks that the board computes on first read,
# and the leaders' cache counter (DataVersion) that this derived write advances.
UNWATCHED_TABLES = re.compile(
    r"^(django_session|axes_.*|audit_.*|accounts_usersession|huey.*|monitoring_systemdays|dashboard_dataversion)$")
# Columns that record when something was last used, not what it is.
UNWATCHED_COLUMNS = {"auth_user": {"last_login"}, "accounts_apikey": {"last_used_at"}}

# Endpoints that write on an empty POST by design: a button with no fields. The write must stay within the units the
# person holds a role on (checked against the object the URL names).
WRITES_ON_EMPTY_POST = {
    "monitoring:heartbeat": "the heartbeat URL: a call (GET or POST) is the system saying it is alive",
    "api-v1:system_heartbeat": "the API's heartbeat: a call is the system saying it is alive",
    "alerts:notifications_read_all": "marks the person's own notifications read",
    "alerts:notification_read": "marks one of the person's own notifications read",
    "alerts:notification_open": "opening a notification marks it read",
    "api:key_revoke": "the key's Revoke button",
    "dashboard:card_remove": "the card's Remove button (the cards after it move up)",
    "dashboard:card_move": "the card's Up/Down button",
    "monitoring:incident_acknowledge": "the incident's Acknowledge button",
    "monitoring:incident_close": "the incident's Close button",
    "monitoring:maintenance_end": "the maintenance window's End now button",
    "reports:report_generate": "the Generate button: a new document version, nobody's text changes",
    "reports:section_move": "the section's Up/Down button",
    "reports:section_remove": "the section's Remove button",
    "commendations:nomination_withdraw": "the nomination's Withdraw button",
    "alerts:silence_end": "the silence's End button",
    "account_session_end": "ends one of the person's own login sessions",
    # Django's admin "saves" a change form whose fields are all read-only and logs "no fields changed".
    "admin:axes_accesslog_change": "the admin's change form of a read-only record: only its log entry",
    "admin:axes_accessattempt_change": "the admin's change form of a read-only record: only its log entry",
    "admin:axes_accessfailurelog_change": "the admin's change form of a read-only record: only its log entry",
}


# --- values for the path arguments ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Value:
    """One value of a path argument; `owner` is the unit whose object it names (None: not a unit's), `marker` a
    text that a page showing the object would contain and a page of another unit's person must not."""

    value: object
    owner: object = None
    marker: str | None = None


class Demo:
    """The demo's objects the table draws from: per representative unit (the demo commune, the department, the
    enterprise, another commune, the province), so that each role meets objects inside and outside its units."""

    def __init__(self, result):
        units = result.units
        self.commune = units.demo_commune
        self.agency = units.agencies["SKHCN"]
        self.enterprise = units.enterprises["VNPT-TN"]
        self.other_commune = next(c for c in units.communes if c.pk != self.commune.pk)
        self.province = units.province
        self.units = [self.commune, self.agency, self.enterprise, self.other_commune, self.province]

    def spread(self, queryset, unit_field: str | None, marker: Callable | None = None, n: int = 3,
               attr: str = "pk") -> list[Value]:
        """Up to `n` objects of `queryset`, each owned by a different representative unit when it has an owner."""
        if unit_field is None:
            return [Value(getattr(obj, attr), None, marker(obj) if marker else None)
                    for obj in queryset.order_by("pk")[:n]]
        found = []
        for unit in self.units:
            obj = queryset.filter(**{unit_field: unit}).order_by("pk").first()
            if obj is not None:
                found.append(Value(getattr(obj, attr), unit, marker(obj) if marker else None))
        return found[:n]


def _units(d: Demo) -> list[Value]:
    return [Value(u.code, u, u.name) for u in d.units[:4]]


def _entries(d: Demo) -> list[dict]:
    """Coherent (form, unit, period, indicator, kind) of submissions the demo holds, one per unit."""
    from dieuhanh.reporting.models import FormRow, Submission

    rows = []
    for unit in d.units:
        submission = Submission.objects.filter(orgunit=unit).order_by("-period", "pk").first()
        if submission is None:
            continue
        row = FormRow.objects.filter(section__form_id=submission.form_id, indicator__isnull=False).order_by("pk")[0]
        rows.append({"form_id": Value(submission.form_id), "unit_code": Value(unit.code, unit, unit.name),
                     "period": Value(submission.period), "indicator_id": Value(row.indicator_id),
                     "kind": Value(row.kinds.split(",")[0])})
    return rows


def _completeness(d: Demo) -> list[dict]:
    from dieuhanh.reporting.models import Submission

    seen, rows = set(), []
    for submission in Submission.objects.order_by("form_id", "-period"):
        if submission.form_id not in seen:
            seen.add(submission.form_id)
            rows.append({"form_id": Value(submission.form_id), "period": Value(submission.period)})
    return rows


def _tasks(d: Demo) -> list[Value]:
    from dieuhanh.assignments.models import Task

    return d.spread(Task.objects.all(), "lead_unit", lambda t: t.title[:60])


def _task_extensions(d: Demo) -> list[dict]:
    from dieuhanh.assignments.models import Extension

    return [{"pk": Value(e.occurrence.task_id, e.occurrence.task.lead_unit), "extension_pk": Value(e.pk)}
            for e in Extension.objects.select_related("occurrence__task").order_by("pk")[:2]]


def _cards(d: Demo) -> list[dict]:
    from dieuhanh.dashboard.models import Card

    return [{"pk": Value(c.dashboard_id, c.dashboard.orgunit), "card_pk": Value(c.pk)}
            for c in Card.objects.select_related("dashboard").order_by("pk")[:2]]


def _report_documents(d: Demo) -> list[dict]:
    from dieuhanh.reports.models import ReportDocument

    return [{"pk": Value(doc.report_id, doc.report.issuer), "version": Value(doc.version), "fmt": Value("docx")}
            for doc in ReportDocument.objects.select_related("report").order_by("pk")[:2]]


def _template_sections(d: Demo) -> list[dict]:
    from dieuhanh.reports.models import ReportSection

    return [{"pk": Value(s.template_id), "section_pk": Value(s.pk)} for s in ReportSection.objects.order_by("pk")[:2]]


def _checks(d: Demo) -> list[dict]:
    from dieuhanh.monitoring.models import Check

    return [{"code": Value(c.system.code, c.system.owner, c.system.name), "pk": Value(c.pk)}
            for c in Check.objects.select_related("system").order_by("pk")[:2]]


def _deliveries(d: Demo) -> list[dict]:
    from dieuhanh.webhooks.models import WebhookDelivery

    return [{"subscription_id": Value(x.subscription_id), "delivery_id": Value(x.pk)}
            for x in WebhookDelivery.objects.order_by("pk")[:2]] or [
        {"subscription_id": Value(0), "delivery_id": Value("00000000-0000-0000-0000-000000000000")}]


def _model(label: str, unit_field: str | None = None, marker: Callable | None = None,
           attr: str = "pk") -> Callable[[Demo], list]:
    from django.apps import apps

    # When the demo holds none, an id that does not exist still opens the view (its 404 path).
    return lambda d: d.spread(apps.get_model(label).objects.all(), unit_field, marker, attr=attr) or [Value(0)]


# (route prefix, argument names) → the values. The longest matching prefix wins; an entry may fill several arguments
# at once (a coherent form, unit and period). Add an entry when a new page brings a new argument.
TABLE: dict[tuple[str, str], Callable[[Demo], list]] = {
    ("units/", "code"): _units,
    ("reporting/forms/", "form_id unit_code period indicator_id kind"): _entries,
    ("reporting/forms/", "form_id period"): _completeness,
    ("tasks/", "pk"): _tasks,
    ("tasks/", "action"): lambda d: [Value(a) for a in ("progress", "comment", "resume", "cancel")],
    ("tasks/", "pk extension_pk"): _task_extensions,
    ("tasks/attachments/", "pk"): _model("assignments.Attachment"),
    ("tasks/documents/", "pk"): _model("assignments.Document", "issuer"),
    ("ioc/indicators/", "code"): lambda d: [Value(c) for c in ("DT_BCVT", "GRDP")],
    ("ioc/units/", "code"): _units,
    ("ioc/dashboards/", "pk"): _model("dashboard.Dashboard", "orgunit"),
    ("ioc/dashboards/", "pk card_pk"): _cards,
    ("api/clients/", "pk"): _model("accounts.ApiClient"),
    ("api/keys/", "pk"): _model("accounts.ApiKey"),
    ("api/v1/orgUnits/", "code"): _units,
    ("api/v1/indicators/", "code"): lambda d: [Value(c) for c in ("DT_BCVT", "GRDP")],
    ("api/v1/forms/", "code"): lambda d: [Value(f.code) for f in _forms()],
    ("api/v1/periods/", "period_id"): lambda d: [Value(p) for p in ("2026Q1", "202603", "2026")],
    ("api/v1/tasks/", "task_id"): _tasks,
    ("api/v1/tasks/occurrences/", "occurrence_id"): _model("assignments.Occurrence", "task__lead_unit"),
    ("api/v1/webhooks/", "subscription_id"): lambda d: [Value(s.pk) for s in _subscriptions()] or [Value(0)],
    ("api/v1/webhooks/", "subscription_id delivery_id"): _deliveries,
    ("api/v1/systems/", "code"): _model("monitoring.System", "owner", attr="code"),
    ("systems/", "code"): _model("monitoring.System", "owner", lambda s: s.name, attr="code"),
    ("systems/", "code pk"): _checks,
    ("systems/hb/", "token"): lambda d: [Value(c.heartbeat_token) for c in _heartbeat_checks()] or [Value("x")],
    ("systems/security/", "pk"): _model("monitoring.SecurityIncident", "orgunit"),
    ("systems/security/", "kind"): lambda d: [Value("initial"), Value("closing")],
    ("systems/security/", "form"): lambda d: [Value("03"), Value("04")],
    ("systems/incidents/", "pk"): _model("monitoring.Incident", "system__owner"),
    ("systems/maintenance/", "pk"): _model("monitoring.MaintenanceWindow"),
    ("alerts/", "pk"): _model("alerts.Alert", "unit"),
    ("alerts/rules/", "pk"): _model("alerts.AlertRule", "unit"),
    ("alerts/silences/", "pk"): _model("alerts.Silence", "unit"),
    ("alerts/notifications/", "pk"): _model("alerts.Notification"),
    ("reports/", "pk"): _model("reports.Report", "issuer"),
    ("reports/", "pk version fmt"): _report_documents,
    ("reports/templates/", "pk"): _model("reports.ReportTemplate"),
    ("reports/templates/", "pk section_pk"): _template_sections,
    ("commendations/rounds/", "pk"): _model("commendations.Round", "organiser"),
    ("commendations/nominations/", "pk"): _model("commendations.Nomination", "unit"),
    ("commendations/decisions/", "pk"): _model("commendations.Decision", "issuer"),
    ("commendations/people/", "pk"): _model("commendations.Person", "unit", lambda p: p.full_name),
    ("commendations/units/", "code"): _units,
    ("password/reset/", "uidb64 token"): lambda d: _reset_links(),
    ("account/sessions/", "pk"): _model("accounts.UserSession"),
    # The admin: the model's first object (the route names the model); the app index; an unknown admin path.
    ("admin/", "object_id"): lambda d: None,
    ("admin/", "id"): lambda d: None,
    ("admin/", "pk"): lambda d: None,
    ("admin/", "content_type_id object_id"): lambda d: None,
    ("admin/", "app_label"): lambda d: [Value("reporting")],
    ("admin/", "url"): lambda d: [Value("khong-co/")],
}


def _reset_links() -> list[dict]:
    """A valid password-reset link of a reporter and a forged one."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = get_user_model().objects.get(username="xa.baocao")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return [{"uidb64": Value(uid), "token": Value(default_token_generator.make_token(user))},
            {"uidb64": Value(uid), "token": Value("set-password")}, {"uidb64": Value("MA"), "token": Value("x-y")}]


def _forms():
    from dieuhanh.reporting.models import ReportForm

    return ReportForm.objects.order_by("pk")[:2]


def _subscriptions():
    from dieuhanh.webhooks.models import WebhookSubscription

    return WebhookSubscription.objects.order_by("pk")[:2]


def _heartbeat_checks():
    from dieuhanh.monitoring.models import Check

    return Check.objects.exclude(heartbeat_token=None).order_by("pk")[:1]


def _admin_values(route: str, names: set[str]) -> list[dict] | None:
    """The admin's object URLs name their model in the route: admin/<app>/<model>/<object_id>/…"""
    from django.contrib.contenttypes.models import ContentType

    if len(names) == 1 and names <= {"object_id", "id", "pk"}:
        match = re.match(r"admin/(\w+)/(\w+)/", route)
        model = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == match.groups())
        obj = model._default_manager.order_by("pk").first()
        return [{names.pop(): Value(obj.pk if obj else 0)}]
    if names == {"content_type_id", "object_id"}:
        from dieuhanh.reporting.models import ReportForm

        form = ReportForm.objects.order_by("pk").first()
        return [{"content_type_id": Value(ContentType.objects.get_for_model(ReportForm).pk),
                 "object_id": Value(form.pk)}]
    return None


# --- the URL configuration -----------------------------------------------------------------------------------------
@dataclass
class Pattern:
    route: str  # the whole route, its arguments as <name> (regular expressions cleaned to the same form)
    name: str
    arguments: list[str]

    @property
    def is_api(self) -> bool:
        return self.route.startswith(API_PREFIX)


def url_patterns() -> list[Pattern]:
    found = []

    def walk(resolver, prefix, namespaces):
        for entry in resolver.url_patterns:
            route = prefix + _route_text(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, route, namespaces + ([entry.namespace] if entry.namespace else []))
            elif isinstance(entry, URLPattern):
                name = ":".join(namespaces + [entry.name or entry.lookup_str])
                found.append(Pattern(route, name, re.findall(r"<(\w+)>", route)))

    walk(get_resolver(), "", [])
    return found


def _route_text(pattern) -> str:
    """A route with its arguments written <name>: `<int:pk>` and a regular expression's `(?P<pk>…)` alike."""
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", str(pattern))
    text = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text)


def table_keys(pattern: Pattern) -> tuple[list[tuple[str, str]], set[str]]:
    """The TABLE entries that fill `pattern`'s arguments (an entry filling several arguments first, then the longest
    prefix), and the arguments none fills."""
    needed = set(pattern.arguments)
    candidates = sorted(((prefix, names) for prefix, names in TABLE
                         if pattern.route.startswith(prefix) and needed & set(names.split())),
                        key=lambda k: (-len(needed & set(k[1].split())), -len(k[0])))
    chosen = []
    for key in candidates:
        names = needed & set(key[1].split())
        if names and all(n in needed for n in names):
            chosen.append(key)
            needed -= names
    return chosen, needed


def values_for(pattern: Pattern, demo: Demo, cache: dict) -> list[dict] | None:
    """The argument sets to open `pattern` with, or None when the table lacks one of its arguments."""
    if not pattern.arguments:
        return [{}]
    if pattern.route.startswith("admin/"):
        admin_values = _admin_values(pattern.route, set(pattern.arguments))
        if admin_values is not None:
            return admin_values
    keys, missing = table_keys(pattern)
    if missing:
        return None
    groups = []
    for key in keys:
        if key not in cache:
            cache[key] = TABLE[key](demo)
        rows = [{k: v for k, v in r.items() if k in pattern.arguments} if isinstance(r, dict) else {key[1]: r}
                for r in cache[key]]
        if not rows:
            return None
        groups.append(rows)
    # Every group's i-th value together (shorter groups repeat), so each value is used once at least.
    longest = max(len(g) for g in groups)
    return [{k: v for g in groups for k, v in next(islice(cycle(g), i, None)).items()} for i in range(longest)]


def url_of(route: str, values: dict) -> str:
    return "/" + re.sub(r"<(\w+)>", lambda m: str(values[m.group(1)].value), route)


# --- writes --------------------------------------------------------------------------------------------------------
def watched_tables() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if not UNWATCHED_TABLES.match(t)]
        return {t: [c.name for c in connection.introspection.get_table_description(cursor, t)] for t in tables}


def write_watch_install() -> None:
    tables = watched_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("CREATE TEMP TABLE matrix_writes (tbl TEXT, op TEXT, row_id TEXT)")
            for table, columns in tables.items():
                updated = ", ".join(f'"{c}"' for c in columns if c not in UNWATCHED_COLUMNS.get(table, ()))
                for op, event, row in (("I", "INSERT", "NEW"), ("D", "DELETE", "OLD"), ("U", f"UPDATE OF {updated}",
                                                                                         "NEW")):
                    cursor.execute(f'CREATE TEMP TRIGGER "matrix_{op}_{table}" AFTER {event} ON "{table}" BEGIN '
                                   f"INSERT INTO matrix_writes VALUES ('{table}', '{op}', {row}.rowid); END")
        else:
            cursor.execute("CREATE TEMP TABLE matrix_writes (tbl TEXT, op TEXT, row_id TEXT)")
            cursor.execute("""
                CREATE FUNCTION matrix_note() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE r jsonb;
                BEGIN
                  IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
                  INSERT INTO matrix_writes VALUES (TG_TABLE_NAME, left(TG_OP, 1), r->>'id');
                  RETURN NULL;
                END $$""")
            for table, columns in tables.items():
                updated = ", ".join(f'"{c}"' for c in columns if c not in UNWATCHED_COLUMNS.get(table, ()))
                cursor.execute(f'CREATE TRIGGER "matrix_{table[:50]}" AFTER INSERT OR DELETE OR UPDATE OF {updated} '
                               f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION matrix_note()')


def writes_since() -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl, op, row_id FROM matrix_writes")
        return cursor.fetchall()


# --- the walk ------------------------------------------------------------------------------------------------------
@dataclass
class Person:
    name: str
    user: object | None
    api_key: str | None


def people() -> list[Person]:
    """Anonymous and every demo login, each with a read-write API token of their own (and a client system of the
    administrator's, which the demo has none of)."""
    User = get_user_model()
    apiclient_create(name="Hệ thống một cửa", created_by=User.objects.get(username="admin"))
    found = [Person(ANONYMOUS, None, None)]
    for username in LOGINS:
        user = User.objects.get(username=username)
        _key, raw = apikey_create(user=user, created_by=user, root=None, access=ApiKey.Access.READ_WRITE,
                                  name="matrix", rate_per_minute=1_000_000)
        found.append(Person(username, user, raw))
    return found


def out_of_scope(person: Person, value: Value) -> bool:
    if value.owner is None:
        return False
    return person.user is None or not roles_on(person.user, value.owner)


def test_every_url_pattern_can_be_filled_from_the_table():
    """Checked without the demo: an argument no table entry names fails here at once."""
    missing = []
    for pattern in url_patterns():
        _keys, unfilled = table_keys(pattern)
        if unfilled:
            missing.append(f"/{pattern.route} ({pattern.name}): {sorted(unfilled)}")
    assert not missing, ("Add these path arguments to TABLE in test_role_url_matrix.py, so that a new page is "
                         "covered the day it is added:\n" + "\n".join(missing))


def test_role_url_matrix():
    started = time.monotonic()
    demo = Demo(demo_build(small=True))
    print(f"\ndemo built in {time.monotonic() - started:.0f} s")
    persons = people()
    clients = {}
    for person in persons:  # logged in before the table is drawn, so that their login sessions are in it
        clients[person.name] = client = Client(raise_request_exception=False)
        if person.user is not None:
            client.force_login(person.user)
    patterns = url_patterns()
    cache, unfilled, plan = {}, [], []
    for pattern in patterns:
        rows = values_for(pattern, demo, cache)
        if rows is None:
            unfilled.append(f"/{pattern.route} ({pattern.name})")
            continue
        for values in rows:
            plan.append((pattern, url_of(pattern.route, values), values))
    assert not unfilled, ("Path arguments the table cannot fill; add them to TABLE in test_role_url_matrix.py so that "
                          "a new page is covered the day it is added:\n" + "\n".join(unfilled))

    write_watch_install()
    server_errors, writes, leaks = [], [], []
    requests = 0
    logging.disable(logging.WARNING)  # thousands of expected 403/404/405 lines
    try:
        for person in persons:
            client = clients[person.name]
            cookies = client.cookies
            print(f"{time.monotonic() - started:.0f} s: {person.name}")
            headers = {"HTTP_AUTHORIZATION": f"Bearer {person.api_key}"} if person.api_key else {}
            for pattern, url, values in plan:
                if pattern.route.startswith("admin/") and person.name not in ADMIN_PEOPLE:
                    continue
                for method in API_METHODS if pattern.is_api else PAGE_METHODS:
                    client.cookies = type(cookies)(cookies)  # a logout or a language switch lasts one request
                    savepoint = transaction.savepoint()
                    try:
                        response = getattr(client, method)(url, **headers)
                        requests += 1
                        # A streamed body runs its code as it is read: read it inside the savepoint too.
                        body = b"".join(response.streaming_content) if response.streaming else response.content
                        written = writes_since()
                    finally:
                        transaction.savepoint_rollback(savepoint)
                    where = f"{person.name} {method.upper()} {url}"
                    if response.status_code >= 500:
                        exc = getattr(response, "exc_info", None)
                        server_errors.append(f"{where} → {response.status_code} {exc[1]!r}" if exc else where)
                    outside = [v for v in values.values() if out_of_scope(person, v)]
                    if written and (pattern.name not in WRITES_ON_EMPTY_POST or outside):
                        tables = sorted({f"{op} {table}" for table, op, _row in written})
                        writes.append(f"{where} → {response.status_code} wrote {', '.join(tables)}")
                    if method == "get" and response.status_code == 200 and outside:
                        text = body.decode(errors="replace")
                        for v in outside:
                            if v.marker and v.marker in text:
                                leaks.append(f"{where} shows {v.marker!r} of {v.owner}")
    finally:
        logging.disable(logging.NOTSET)
    elapsed = time.monotonic() - started
    print(f"\nrole × URL matrix: {len(patterns)} patterns, {len(plan)} URLs, {len(persons)} people, "
          f"{requests} requests in {elapsed:.0f} s on {connection.vendor}")
    assert requests > 5000
    problems = (["server errors:", *server_errors] if server_errors else []) + (
        ["unintended writes:", *writes] if writes else []) + (["other units' objects shown:", *leaks] if leaks else [])
    assert not problems, f"{len(server_errors)} server errors, {len(writes)} writes, {len(leaks)} leaks:\n" + "\n".join(
        problems[:300])
