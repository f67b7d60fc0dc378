"""On PostgreSQL the database itself keeps the trail append-only, whoever connects: a trigger refuses every UPDATE
of an audit row, and every DELETE of a row younger than 365 days (audit.models.MIN_RETENTION_DAYS, fixed here in the
function on purpose: a setting could be changed by whoever wants a row gone). `audit_purge` deletes only older rows,
so it passes. TRUNCATE is not a row operation and is left to the privileges: the application's role is granted
INSERT and SELECT (and DELETE for the purge) only (dieuhanh/audit/sql/app_role.sql); the test runner's flush
truncates as the owner. SQLite has no roles; there the ORM's refusal (models.AuditEvent) is the guard."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '365 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused (only rows older than 365 days may be deleted)',
        TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)  # no placeholders: RAISE uses a literal %


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
