"""Saving data values: validation, the actual beside the estimate, and the append-only history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dieuhanh.indicators.models import DataValue, ValueHistory, ValueKind, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save


def save(unit, user, *items, channel="web", period="2026Q1"):
    return datavalues_save(state=ValueState.APPROVED,
                           orgunit=unit, period=period, values=[ValueInput(*i) for i in items], user=user,
                           channel=channel)


def test_it_keeps_the_estimate_when_the_actual_arrives(commune_a, reporter_a, revenue):
    save(commune_a, reporter_a, (revenue, ValueKind.ESTIMATE, Decimal("10.5")))
    save(commune_a, reporter_a, (revenue, ValueKind.ACTUAL, Decimal("11.25")))
    values = dict(DataValue.objects.filter(indicator=revenue).values_list("kind", "value"))
    assert values == {"estimate": Decimal("10.5"), "actual": Decimal("11.25")}


def test_it_records_every_change_with_old_and_new_values(commune_a, reporter_a, approver_a, revenue):
    save(commune_a, reporter_a, (revenue, ValueKind.ACTUAL, Decimal("1762.38")))
    save(commune_a, approver_a, (revenue, ValueKind.ACTUAL, Decimal("1762.40")), channel="xlsx")
    save(commune_a, approver_a, (revenue, ValueKind.ACTUAL, Decimal("1762.40")), channel="xlsx")  # no change
    save(commune_a, reporter_a, (revenue, ValueKind.ACTUAL, None), channel="csv")  # cleared
    rows = list(ValueHistory.objects.order_by("id").values_list("old_value", "new_value", "changed_by__username",
                                                                   "channel"))
    assert rows == [
        (None, Decimal("1762.38"), "reporter_a", "web"),
        (Decimal("1762.38"), Decimal("1762.40"), "approver_a", "xlsx"),
        (Decimal("1762.40"), None, "reporter_a", "csv"),
    ]
    assert not DataValue.objects.exists()


def test_it_rejects_everything_when_one_value_is_wrong(commune_a, reporter_a, revenue, subscribers):
    with pytest.raises(ValidationError) as err, translation.override("vi"):
        save(commune_a, reporter_a, (revenue, ValueKind.ACTUAL, Decimal("5")),
             (subscribers, ValueKind.ACTUAL, Decimal("10.5")), (revenue, ValueKind.TARGET, Decimal("-1")))
    messages = " | ".join(err.value.messages)
    assert "chỉ nhận số nguyên" in messages
    assert "nhỏ hơn giá trị tối thiểu 0" in messages
    assert not DataValue.objects.exists() and not ValueHistory.objects.exists()
