"""Existing values take the state of their reports, then the rollups are rebuilt so that they count reported values
only. A value on no report (loaded as the record, before reports existed) is kept as approved: it is the province's
own figure, and dropping it would empty the history leaders read."""

from django.db import migrations

REPORT_STATE = {"submitted": 1, "approved": 2}


def states_from_reports(apps, schema_editor):
    DataValue = apps.get_model("indicators", "DataValue")
    Submission = apps.get_model("reporting", "Submission")
    FormRow = apps.get_model("reporting", "FormRow")
    if not DataValue.objects.exists():
        return
    cells_of: dict[int, set[tuple[int, str]]] = {}
    for form_id, indicator_id, kinds in FormRow.objects.values_list("section__form_id", "indicator_id", "kinds"):
        cells_of.setdefault(form_id, set()).update((indicator_id, k) for k in kinds.split(",") if k)
    on_report: dict[tuple[int, str], dict[tuple[int, str], int]] = {}
    for form_id, unit_id, period, status in Submission.objects.values_list("form_id", "orgunit_id", "period",
                                                                            "status"):
        states = on_report.setdefault((unit_id, period), {})
        for cell in cells_of.get(form_id, ()):
            states[cell] = max(states.get(cell, 0), REPORT_STATE.get(status, 0))
    DataValue.objects.update(state=2)
    for (unit_id, period), states in on_report.items():
        for (indicator_id, kind), state in states.items():
            if state < 2:
                DataValue.objects.filter(orgunit_id=unit_id, period=period, indicator_id=indicator_id,
                                         kind=kind).update(state=state)
    from dieuhanh.indicators.rollups import rollups_rebuild

    rollups_rebuild(models=(DataValue, apps.get_model("indicators", "ValueRollup"),
                            apps.get_model("indicators", "Indicator"), apps.get_model("orgunits", "OrgUnit")))


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0005_value_state_short_name"),
        ("reporting", "0001_initial"),
    ]

    operations = [migrations.RunPython(states_from_reports, migrations.RunPython.noop)]
