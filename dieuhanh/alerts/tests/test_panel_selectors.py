"""The reads the dashboard's alert panel makes of the engine's rows: the subjects firing under a unit within a scope
(each once, across rules over nested units), the most severe level per kind, and when the engine last changed one
of them. Real rules, real tasks, the real evaluator."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.alerts.engine import alerts_evaluate
from dieuhanh.alerts.models import AlertRule, Level
from dieuhanh.alerts.selectors import alerts_evaluated_at, firing_levels_under, firing_subject_ids
from dieuhanh.assignments.models import Occurrence
from dieuhanh.conftest import make_user
from dieuhanh.reporting.completeness import local_today

pytestmark = pytest.mark.django_db
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
OVERDUE = AlertRule.Kind.TASK_OVERDUE


@pytest.fixture
def overdue(make_task, lead_unit, province, commune_a):
    """Two overdue tasks (one the lead department's, one the commune's), one not yet due; three rules on overdue
    tasks: the province's (warning), the department's (critical) and the province's again (info)."""
    today = local_today()
    tasks = {
        "lead_unit": make_task(title="Kết nối liên thông văn bản", lead_unit=lead_unit,
                          deadline=today - datetime.timedelta(days=9)),
        "commune": make_task(title="Rà soát trạm BTS", lead_unit=commune_a, coordinating_units=[],
                             deadline=today - datetime.timedelta(days=4)),
        "later": make_task(title="Chưa đến hạn", lead_unit=lead_unit, deadline=today + datetime.timedelta(days=30)),
    }
    AlertRule.objects.create(name="Quá hạn (tỉnh)", kind=OVERDUE, unit=province, level=Level.WARNING)
    AlertRule.objects.create(name="Quá hạn (sở)", kind=OVERDUE, unit=lead_unit, level=Level.CRITICAL)
    AlertRule.objects.create(name="Quá hạn (thông tin)", kind=OVERDUE, unit=province, level=Level.INFO)
    return {name: Occurrence.objects.get(task=task).pk for name, task in tasks.items()}


def ids(unit, scope):
    return sorted(Occurrence.objects.filter(pk__in=firing_subject_ids(unit, scope, OVERDUE, "occurrence:"))
                  .values_list("pk", flat=True))


def test_it_names_each_firing_subject_once_within_the_unit_and_the_scope(overdue, province, lead_unit, commune_a):
    everything = units_in_scope(make_user("lanh_dao_tinh", Role.LEADER, province))
    assert ids(province, everything) == []  # nothing before the engine runs
    alerts_evaluate()
    assert ids(province, everything) == sorted([overdue["lead_unit"], overdue["commune"]])
    assert ids(lead_unit, everything) == [overdue["lead_unit"]]
    # The commune's leader reads their own commune only, even on the province's page.
    commune = units_in_scope(make_user("chu_tich_xa", Role.LEADER, commune_a))
    assert ids(province, commune) == [overdue["commune"]]


def test_each_kind_takes_its_most_severe_firing_rule(overdue, province, lead_unit, commune_a):
    alerts_evaluate()
    everything = units_in_scope(make_user("lanh_dao_tinh", Role.LEADER, province))
    assert firing_levels_under(province, everything, [OVERDUE, AlertRule.Kind.REPORT_LATE]) == {
        OVERDUE: Level.CRITICAL}
    # Under the commune only the province's rules fired (the department's rule does not cover it).
    assert firing_levels_under(commune_a, everything, [OVERDUE]) == {OVERDUE: Level.WARNING}


def test_the_time_is_the_stalest_last_evaluation_of_the_rules_watching_the_unit(overdue, province, lead_unit,
                                                                                commune_a):
    assert alerts_evaluated_at(province, [OVERDUE]) is None  # never evaluated
    first = datetime.datetime.combine(local_today(), datetime.time(9), tzinfo=LOCAL)
    alerts_evaluate(now=first)
    assert alerts_evaluated_at(province, [OVERDUE]) == first
    # Evaluated again with nothing changed: the figures are as of the new evaluation all the same.
    alerts_evaluate(now=first + datetime.timedelta(minutes=1))
    assert alerts_evaluated_at(province, [OVERDUE]) == first + datetime.timedelta(minutes=1)
    # One rule (the department's) evaluated later than the others: the stalest is quoted, so it holds for all.
    department_rule = AlertRule.objects.get(kind=OVERDUE, unit=lead_unit)
    alerts_evaluate(now=first + datetime.timedelta(minutes=5), rules=[department_rule])
    assert alerts_evaluated_at(province, [OVERDUE]) == first + datetime.timedelta(minutes=1)
    # Under the commune, the department's rule does not watch: the province's rules only.
    assert alerts_evaluated_at(commune_a, [OVERDUE]) == first + datetime.timedelta(minutes=1)
    # Another kind's rules are not this kind's.
    assert alerts_evaluated_at(province, [AlertRule.Kind.SYSTEM_DOWN]) is None
