-- Điều hành on PostgreSQL (15 or newer): the database and its two roles. Run once, as a superuser, before the first
-- `manage.py migrate`:
--
--   sudo -u postgres psql -v owner_password="'...'" -v app_password="'...'" -f deploy/postgres-setup.sql
--
-- dieuhanh_owner  owns the database and its tables: `manage.py migrate`, `manage.py restore` and the audit purge
--                 run with its DATABASE_URL (never the web server).
-- dieuhanh_app    what the web server and the worker connect as (DATABASE_URL in /etc/dieuhanh/dieuhanh.env):
--                 reads and writes rows, cannot change the schema, and cannot rewrite the audit trail.

\set ON_ERROR_STOP on

CREATE ROLE dieuhanh_owner LOGIN PASSWORD :owner_password;
CREATE ROLE dieuhanh_app LOGIN PASSWORD :app_password;
-- UTF-8 with a C collation for the tables' own ordering; Vietnamese sorting is done by the application.
CREATE DATABASE dieuhanh OWNER dieuhanh_owner ENCODING 'UTF8' TEMPLATE template0;

\connect dieuhanh

-- Nobody else may create objects or connect (PostgreSQL 15 already keeps PUBLIC out of schema public's CREATE).
REVOKE ALL ON DATABASE dieuhanh FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO dieuhanh_owner;

-- No ALTER DEFAULT PRIVILEGES on purpose: a restored backup would then give the app, on every table it re-creates,
-- rights the backup's grants do not list (UPDATE on the audit trail among them). The app's rights are granted
-- table by table after the migrations, by the audit app's script, which keeps the audit trail append-only.

-- ============================ THE APPLICATION'S RIGHTS (AUDIT TRAIL): AFTER THE MIGRATIONS ============================
-- After the first `manage.py migrate`, and after every release's migrations, run as the owner:
--
--   psql "postgres://dieuhanh_owner:...@127.0.0.1/dieuhanh" -f dieuhanh/audit/sql/app_role.sql
--
-- It grants dieuhanh_app SELECT, INSERT, UPDATE, DELETE on the tables and their sequences, and on audit_auditevent
-- only SELECT, INSERT and DELETE (of rows past retention; a trigger, migration audit 0002, refuses the rest).
-- `manage.py restore` brings back the backup's grants as they were (docs/deployment.md, steps 4 and 8).
-- ======================================================================================================================
