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

GRANT CONNECT, TEMPORARY ON DATABASE dieuhanh TO dieuhanh_app;  -- the value writer stages cells in a temporary table
GRANT USAGE ON SCHEMA public TO dieuhanh_app;
-- Every table and sequence the owner's migrations create (now and in later releases) is usable by the app at once.
ALTER DEFAULT PRIVILEGES FOR ROLE dieuhanh_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO dieuhanh_app;
ALTER DEFAULT PRIVILEGES FOR ROLE dieuhanh_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO dieuhanh_app;

-- ======================================== AUDIT TRAIL: AFTER THE MIGRATIONS ========================================
-- The default privileges above give the app UPDATE and DELETE on every table, the audit trail's too. After the first
-- `manage.py migrate` (and after every release), run as the owner the audit app's grants, which take them back:
--
--   psql "postgres://dieuhanh_owner:...@127.0.0.1/dieuhanh" -f dieuhanh/audit/sql/app_role.sql
--
-- (It also refuses UPDATE/DELETE by a trigger, migration audit 0002; docs/deployment.md, step 4.)
-- ====================================================================================================================
