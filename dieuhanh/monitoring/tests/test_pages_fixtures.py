"""Fixtures of the monitoring pages' tests: an operator and a leader of the province, the demo's systems (owned
by the province's agency) with their 90 days of history, and a reporter who sees none of them."""

import pytest

from dieuhanh.accounts.models import Role
from dieuhanh.conftest import make_user
from dieuhanh.demo.systems import systems_ensure


@pytest.fixture
def operator(province):
    return make_user("operator", Role.OPERATOR, province)


@pytest.fixture
def demo_systems(province, agency):
    return systems_ensure(owners={"SKHCN": agency}, operator_unit=province).systems
