"""`demo_build`: the whole demo province, idempotent and deterministic."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.db import connection, transaction

from dieuhanh.alerts.engine import alerts_evaluate
from dieuhanh.alerts.models import AlertRule, Level
from dieuhanh.alerts.services import rules_default_create
from dieuhanh.dashboard.cards import DEFAULT_CODES
from dieuhanh.dashboard.models import Card
from dieuhanh.indicators.models import Indicator
from dieuhanh.indicators.rollups import rollups_rebuild
from dieuhanh.lib.periods import PeriodType
from dieuhanh.reporting.models import ReportForm
from dieuhanh.reporting.services import form_cells

from .catalogue import (
    ENTERPRISE_FORM,
    SECTOR_FORM,
    SECTOR_YEAR_FORM,
    SOCIO_FORM,
    catalogue_ensure,
    forms_ensure,
    holidays_ensure,
)
from .commendations import commendations_demo_ensure
from .dashboards import dashboards_ensure
from .periodic import (
    Actors,
    SubmissionBook,
    communes_before_reform_add,
    department_add,
    enterprises_add,
    holiday_dates,
    new_province_totals,
    province_add,
    socio_add,
)
from .province import DemoUnits, Login, units_ensure, users_ensure
from .reports import reports_demo_ensure
from .systems import systems_ensure, systems_owners
from .tasks import tasks_ensure
from .values import HISTORY_YEARS, ValueSink, history_add, months_before_reform_add, province_series


@dataclass
class DemoResult:
    units: DemoUnits
    logins: list[Login]
    values_created: int = 0
    submissions_created: int = 0
    holidays_created: int = 0
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def demo_build(*, small: bool = False) -> DemoResult:
    """Build (or complete) the demo. `small` keeps a handful of communes and agencies, and the whole history
    across the reform (2017 to today, which the new province's series shows): enough for tests, in a few seconds."""
    units = units_ensure()
    users = users_ensure(units)
    indicators = catalogue_ensure()
    holidays_created = holidays_ensure()
    agencies = list(units.agencies.values())
    forms = forms_ensure(
        indicators=indicators,
        units_by_form={
            ENTERPRISE_FORM: list(units.enterprises.values()),
            SECTOR_FORM: [units.agencies["SKHCN"]],
            SECTOR_YEAR_FORM: [units.agencies["SKHCN"]],
            SOCIO_FORM: units.communes + agencies,
        },
        receivers={
            ENTERPRISE_FORM: units.agencies["SKHCN"], SECTOR_FORM: units.province,
            SECTOR_YEAR_FORM: units.province, SOCIO_FORM: units.agencies["VP-UBND"],
        },
    )
    u = users.by_key
    actors = Actors(
        reporters={units.enterprises["VNPT-TN"].pk: u["enterprise_reporter"],
                   units.agencies["SKHCN"].pk: u["agency_reporter"], units.demo_commune.pk: u["commune_reporter"]},
        approvers={**{e.pk: u["agency_approver"] for e in units.enterprises.values()},
                   units.agencies["SKHCN"].pk: u["agency_approver"], units.demo_commune.pk: u["commune_approver"]},
    )

    sink = ValueSink(indicators)
    book = SubmissionBook(actors, holiday_dates())
    # Each part draws from its own seeded generator, so the small build is a subset of the full one.
    series = province_series(random.Random("series"), [2025, 2026])
    history_add(sink, old_tn=units.old_tay_ninh, old_la=units.old_long_an, series=series,
                years=HISTORY_YEARS, rng=random.Random("targets"))
    months_before_reform_add(sink, old_tn=units.old_tay_ninh, old_la=units.old_long_an, series=series,
                             rng=random.Random("reform months"))
    totals = new_province_totals(series)
    province_add(sink, units=units, totals=totals, rng=random.Random("province"))
    enterprises_add(sink, book, units=units, form=forms[ENTERPRISE_FORM], totals=totals, actors=actors,
                    years=[2025, 2026], rng=random.Random("enterprises"))
    department_add(sink, book, units=units, forms=forms, actors=actors, rng=random.Random("department"))
    reporters = units.communes + agencies
    if small:
        reporters = list(dict.fromkeys([units.demo_commune, *units.communes[:4], *agencies[:3]]))
    socio_add(sink, book, reporters=reporters, form=forms[SOCIO_FORM], actors=actors, rng=random.Random("socio"))
    communes_before_reform_add(sink, units=units, rng=random.Random("old communes"))

    result = DemoResult(units=units, logins=users.logins, holidays_created=holidays_created)
    tasks_ensure(result, users=users.by_key)
    dashboards = dashboards_ensure(province=units.province, leader=u["leader"], indicators=indicators)
    result.submissions_created = book.flush()
    sink.follow_reports(book.value_states(), form_cells(ReportForm.objects.values("pk")))
    result.values_created = sink.flush()
    rollups_rebuild()  # once for the whole load: the sink's write skips the per-write refresh
    result.logins += systems_ensure(owners=systems_owners(units)).logins
    # The default alert rules over the province, and a behind-pace rule on each indicator of the overview's cards,
    # evaluated once on what the demo holds: the overview's and the wall's alert panel (which reads the rules'
    # firing alerts), the alerts page and the bell have something to show from the first login.
    rules_default_create(unit=units.province)
    pace_rules_ensure(unit=units.province, dashboards=dashboards)
    alerts_evaluate()
    # The commendations (2020's of the old Tây Ninh, a 2026 round in progress), then the official reports that
    # quote them: the 2020 year-end review of the old Tây Ninh's ICT sector and the 2026 review, generated once.
    commendations_demo_ensure(units=units, users=u)
    reports_demo_ensure(result)
    planner_statistics_refresh()
    return result


def planner_statistics_refresh() -> None:
    """ANALYZE on PostgreSQL, in the build's transaction: tables just filled have no statistics until autovacuum
    comes by (never, for a build inside a test's transaction), and the planner, taking them for empty, nests
    subqueries (the worklist's decisions took minutes on the small demo). ANALYZE counts the transaction's own
    rows. The project's tables only: a bare ANALYZE also takes the shared catalogs (pg_database…), whose locks a
    test's transaction would hold until its end against every other database's build."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(t) for t in sorted(connection.introspection.django_table_names(
            only_existing=True, include_views=False)))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")


# The form a pace rule reads its period through: the one collecting the indicator most often.
FREQUENCY = [PeriodType.MONTH, PeriodType.QUARTER, PeriodType.SIX_MONTHS, PeriodType.NINE_MONTHS, PeriodType.YEAR]


def pace_rules_ensure(*, unit, dashboards) -> list[AlertRule]:
    """A behind-pace rule over `unit` on each indicator of the overview (the demo dashboards' cards and the cards
    built in code) that a form collects (the rule reads the period the form collects now); once each."""
    codes = set(DEFAULT_CODES) | set(Card.objects.filter(dashboard__in=dashboards, indicator__isnull=False)
                                     .values_list("indicator__code", flat=True))
    have = set(AlertRule.objects.filter(unit=unit, kind=AlertRule.Kind.INDICATOR_BEHIND_PACE)
               .values_list("indicator_id", flat=True))
    made = []
    for indicator in Indicator.objects.filter(code__in=codes, active=True).exclude(pk__in=have).order_by("code"):
        forms = ReportForm.objects.filter(active=True, sections__rows__indicator=indicator).distinct()
        form = min(forms, key=lambda f: (FREQUENCY.index(PeriodType(f.period_type)), f.code), default=None)
        if form is None:  # entered without a form (the province's yearly figures): no period to read
            continue
        made.append(AlertRule.objects.create(name=f"{indicator.name} chậm tiến độ", unit=unit, indicator=indicator,
                                             form=form, kind=AlertRule.Kind.INDICATOR_BEHIND_PACE,
                                             level=Level.WARNING))
    return made
