-- The application's own PostgreSQL role: it reads and writes the product's tables but can never rewrite the
-- audit trail. Run once as the database owner (the role that runs `manage.py migrate`), after the migrations,
-- and again after each release that adds tables. Replace dieuhanh_app / the password / the database name.
--
--   psql -U dieuhanh_owner -d dieuhanh -f dieuhanh/audit/sql/app_role.sql
--
-- The web processes and the worker connect as dieuhanh_app (DATABASE_URL); migrations run as the owner.
-- On audit_auditevent the app gets INSERT and SELECT, plus DELETE for the daily purge: the trigger from migration
-- audit 0002 refuses any DELETE of a row younger than 365 days and any UPDATE, for every role but a superuser who
-- disables it (which is itself visible in the server's log). A deployment that wants no DELETE at all drops that
-- grant and runs `manage.py audit_purge` as the owner (DATABASE_URL of the owner) from cron instead.

DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dieuhanh_app') THEN
        CREATE ROLE dieuhanh_app LOGIN PASSWORD 'change-me';
    END IF;
END $$;

GRANT CONNECT ON DATABASE dieuhanh TO dieuhanh_app;
GRANT USAGE ON SCHEMA public TO dieuhanh_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO dieuhanh_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO dieuhanh_app;
-- The value writer stages cells in a temporary table.
GRANT TEMPORARY ON DATABASE dieuhanh TO dieuhanh_app;

-- The audit trail: append and read (and the purge's delete of old rows); never update, never truncate.
REVOKE ALL ON audit_auditevent FROM dieuhanh_app;
GRANT SELECT, INSERT, DELETE ON audit_auditevent TO dieuhanh_app;
