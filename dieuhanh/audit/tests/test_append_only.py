"""Append only: the ORM refuses to change or delete a row; on PostgreSQL the database refuses too, for any role,
except deleting rows older than the floor, which is what the purge does; an application role holding INSERT and
SELECT cannot UPDATE at all."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from dieuhanh.audit.models import MIN_RETENTION_DAYS, Action, AppendOnly, AuditEvent
from dieuhanh.audit.services import audit_purge

pg_only = pytest.mark.skipif("connection.vendor != 'postgresql'")


def aged(days: int, text: str = "") -> AuditEvent:
    event = AuditEvent(action=Action.LOGIN, username="x", object_text=text,
                       at=timezone.now() - datetime.timedelta(days=days))
    event.save()
    return event


def test_the_orm_refuses_updates_and_deletes(db):
    event = aged(0)
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(username="y")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).username == "x"


def test_purge_deletes_only_rows_older_than_the_retention(db, settings, capsys):
    settings.AUDIT_RETENTION_DAYS = 400
    kept = [aged(0, "today"), aged(399, "399 days"), aged(MIN_RETENTION_DAYS - 1, "young")]
    aged(401, "401 days")
    aged(2000, "old")
    call_command("audit_purge")
    assert "2 audit events" in capsys.readouterr().out
    assert set(AuditEvent.objects.values_list("pk", flat=True)) >= {e.pk for e in kept}
    assert not AuditEvent.objects.filter(object_text__in=["401 days", "old"]).exists()


def test_purge_refuses_a_retention_below_the_floor(db, settings):
    settings.AUDIT_RETENTION_DAYS = MIN_RETENTION_DAYS - 1
    aged(2000)
    with pytest.raises(ImproperlyConfigured):
        audit_purge()
    assert AuditEvent.objects.count() >= 1


@pg_only
def test_postgresql_refuses_update_and_young_delete_by_raw_sql(db):
    young, old = aged(10), aged(MIN_RETENTION_DAYS + 5)
    with connection.cursor() as cursor:
        for statement in ("UPDATE audit_auditevent SET username = 'khac' WHERE id = %s",
                          "DELETE FROM audit_auditevent WHERE id = %s"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(statement, [young.pk])
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("UPDATE audit_auditevent SET at = now() - interval '1000 days' WHERE id = %s", [young.pk])
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [old.pk])  # older than the floor: allowed
    assert AuditEvent.objects.filter(pk=young.pk, username="x").exists()
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


@pg_only
def test_an_application_role_with_insert_and_select_cannot_update(db):
    event = aged(0)
    with connection.cursor() as cursor:
        cursor.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'audit_test_app') THEN "
                       "CREATE ROLE audit_test_app NOLOGIN; END IF; END $$")
        cursor.execute("GRANT SELECT, INSERT ON audit_auditevent TO audit_test_app")
        cursor.execute("GRANT USAGE ON SEQUENCE audit_auditevent_id_seq TO audit_test_app")
        try:
            # SET ROLE, then RESET ROLE: a savepoint does not end SET LOCAL (the test's transaction would).
            cursor.execute("SET ROLE audit_test_app")
            with transaction.atomic():
                cursor.execute("INSERT INTO audit_auditevent (action, username, ip, user_agent, object_type, "
                               "object_id, object_text, path) VALUES ('login', 'app', '', '', '', '', '', '')")
                cursor.execute("SELECT count(*) FROM audit_auditevent")
                assert cursor.fetchone()[0] >= 2
                with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                    cursor.execute("UPDATE audit_auditevent SET username = 'khac' WHERE id = %s", [event.pk])
                with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                    cursor.execute("TRUNCATE audit_auditevent")
        finally:
            cursor.execute("RESET ROLE")
            cursor.execute("REVOKE ALL ON audit_auditevent FROM audit_test_app")
            cursor.execute("REVOKE ALL ON SEQUENCE audit_auditevent_id_seq FROM audit_test_app")
            cursor.execute("DROP ROLE audit_test_app")  # roles belong to the cluster, not the test database
    assert AuditEvent.objects.get(pk=event.pk).username == "x"
