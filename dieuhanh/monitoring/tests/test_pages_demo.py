"""The demo's systems on the demo province's own units, built twice (the second build changes nothing): what
`demo_build` gets from its one line `result.logins += systems_ensure(owners=systems_owners(units)).logins`."""

import pytest

from dieuhanh.demo.province import units_ensure
from dieuhanh.demo.systems import SYSTEMS, systems_ensure, systems_owners
from dieuhanh.monitoring.models import Check, Incident, MaintenanceWindow, StateChange, System
from dieuhanh.monitoring.models_security import SecurityIncident

pytestmark = pytest.mark.django_db


def test_the_demo_systems_on_the_demo_province_and_built_again():
    units = units_ensure()
    first = systems_ensure(owners=systems_owners(units))
    assert first.created == len(SYSTEMS) and [login.username for login in first.logins] == ["vanhanh"]
    assert System.objects.get(code="motcua").owner.code == "TTPVHCC"
    assert list(System.objects.get(code="lgsp").depends_on.values_list("code", flat=True)) == ["dc"]
    counts = (System.objects.count(), Check.objects.count(), StateChange.objects.count(),
              MaintenanceWindow.objects.count(), Incident.objects.count(), SecurityIncident.objects.count())
    assert Incident.objects.filter(status="closed").exclude(cause="").count() == 1
    assert Incident.objects.filter(status="open").count() == 1
    assert System.objects.filter(public=True).count() == 5
    # The register's year: two incidents handled with both reports, one being contained with its report due.
    security = SecurityIncident.objects.order_by("detected_at")
    assert [i.status for i in security] == ["closed", "closed", "containing"]
    assert [bool(i.closing_report_number) for i in security] == [True, True, False]
    assert security.last().events.count() == 2 and not security.filter(serious=True).exists()
    again = systems_ensure(owners=systems_owners(units))
    assert again.created == 0
    assert counts == (System.objects.count(), Check.objects.count(), StateChange.objects.count(),
                      MaintenanceWindow.objects.count(), Incident.objects.count(), SecurityIncident.objects.count())
