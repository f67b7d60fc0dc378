"""The demo province builds on an empty database, carries the seed articles' figures, and is idempotent."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils.timezone import localdate

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import has_role, units_in_scope
from dieuhanh.demo.build import demo_build
from dieuhanh.demo.province import PASSWORD
from dieuhanh.indicators.models import DataValue, ValueHistory
from dieuhanh.lib.periods import Period
from dieuhanh.orgunits.models import LineageEvent, OrgUnit
from dieuhanh.reporting.models import FormRow, Holiday, ReportForm, Submission, SubmissionEvent
from dieuhanh.reporting.services import form_rows, sum_rule_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return demo_build(small=True)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (OrgUnit, LineageEvent, DataValue, ValueHistory, Submission, SubmissionEvent, ReportForm,
                      FormRow, Holiday, get_user_model())
    }


def actual(code, unit_code, period):
    return DataValue.objects.get(indicator__code=code, orgunit__code=unit_code, period=period, kind="actual").value


def test_it_carries_the_2020_figures_of_the_seed_articles(demo):
    assert actual("DT_BC", "TN72", "2020") == Decimal("95.5")
    assert actual("DT_VT", "TN72", "2020") == Decimal("1762.38")
    assert actual("NS_BCVT", "TN72", "2020") == Decimal("377")
    assert actual("DT_BCPT", "TN72", "2020") == Decimal("27.3")
    assert actual("CQ_WAN", "TN72", "2020") == 37
    history = ValueHistory.objects.get(indicator__code="DT_VT", orgunit__code="TN72", period="2020", kind="actual")
    assert (history.old_value, history.new_value, history.channel) == (None, Decimal("1762.38"), "system")


def test_it_builds_the_merged_province_with_lineage(demo):
    province = demo.units.province
    assert (province.code, province.name, province.kind) == ("80", "Tây Ninh", "province")
    assert OrgUnit.objects.filter(parent=province, kind="commune").count() == 96
    assert OrgUnit.objects.filter(parent=province, kind="agency").count() >= 20
    assert set(OrgUnit.objects.filter(kind="enterprise").values_list("code", flat=True)) >= {"VNPT-TN", "VIETTEL-TN"}
    merge = LineageEvent.objects.get(successors=province)
    assert {u.code for u in merge.predecessors.all()} == {"TN72", "LA80"}
    assert str(OrgUnit.objects.get(code="LA80").valid_to) == "2025-06-30"


def test_it_is_idempotent(demo):
    before = counts()
    again = demo_build(small=True)
    assert (again.values_created, again.submissions_created, again.holidays_created) == (0, 0, 0)
    assert counts() == before


def test_it_gives_each_role_a_user_with_the_right_scope(demo):
    users = {u.username: u for u in get_user_model().objects.all()}
    province, commune = demo.units.province, demo.units.demo_commune
    skhcn, vnpt = demo.units.agencies["SKHCN"], demo.units.enterprises["VNPT-TN"]
    assert users["admin"].is_superuser and users["admin"].check_password(PASSWORD)
    assert has_role(users["lanhdao"], Role.LEADER, province)
    assert has_role(users["xa.baocao"], Role.REPORTER, commune)
    assert not has_role(users["xa.baocao"], Role.REPORTER, province)
    assert has_role(users["xa.pheduyet"], Role.APPROVER, commune)
    assert has_role(users["khcn.baocao"], Role.REPORTER, skhcn)
    assert has_role(users["khcn.pheduyet"], Role.APPROVER, vnpt)
    assert set(units_in_scope(users["vnpt.baocao"]).values_list("code", flat=True)) == {"VNPT-TN"}
    assert units_in_scope(users["lanhdao"]).filter(pk=commune.pk).exists()


def test_it_leaves_submissions_in_every_state_with_their_events(demo):
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "approved", "returned"}
    returned = Submission.objects.filter(status="returned").first()
    assert returned.returned_reason
    assert list(returned.events.values_list("to_status", flat=True))[-1] == "returned"
    waiting = Submission.objects.filter(form__code="02/BC-DN", period="202611", status="submitted")
    late = [s for s in waiting if localdate(s.submitted_at) > s.form.deadline_rule.deadline_for(Period.parse(s.period))]
    assert [s.orgunit.code for s in late] == ["MOBIFONE-TN"]
    assert not Submission.objects.filter(form__code="02/BC-DN", period="202611", orgunit__code="FPT-TN").exists()


def test_it_keeps_parts_within_totals(demo):
    form = ReportForm.objects.get(code="02/BC-DN")
    rows = form_rows(form)
    for sub in Submission.objects.filter(form=form):
        cells = {(v.indicator_id, v.kind): v.value for v in DataValue.objects.filter(orgunit=sub.orgunit,
                                                                                      period=sub.period)}
        assert sum_rule_problems(rows, cells) == []


def test_it_runs_as_a_command_and_prints_the_logins(db, capsys):
    call_command("demo", "--small")
    out = capsys.readouterr().out
    assert "khcn.pheduyet" in out and PASSWORD in out
    call_command("demo", "--small")
    assert "already exists" in capsys.readouterr().out


def test_the_leader_gets_two_configured_dashboards_and_others_the_built_in_one(demo, client):
    from django.urls import reverse

    from dieuhanh.dashboard.selectors import dashboards_for

    users = {u.username: u for u in get_user_model().objects.all()}
    mine = list(dashboards_for(users["lanhdao"]))
    assert [d.name for d in mine] == ["Điều hành chung", "Bưu chính, viễn thông"]
    assert {c.kind for c in mine[0].cards.all()} >= {"kpi", "chart", "ranking", "alerts", "tasks"}
    assert list(dashboards_for(users["admin"])) == []  # the overview built in code
    client.force_login(users["lanhdao"])
    page = client.get(reverse("home")).content.decode()
    assert 'id="dashboard-switch"' in page and 'data-kind="ranking"' in page
    demo_build(small=True)  # idempotent: no second copy
    assert len(dashboards_for(users["lanhdao"])) == 2
