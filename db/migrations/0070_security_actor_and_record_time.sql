-- Who wrote a row and when it was written are facts the database records, never values a client
-- chooses (issue 11, sections 1 and 2).
--
-- THE ACTOR. Every who-column (recorded_by, decided_by, added_by, created_by) is the person who
-- logged in, worked out from session_user (which no SET ROLE changes):
--   * a person: session_user is a login of app_user. They write as themselves only: a statement
--     run while their current role is anything else (SET ROLE vledger_organiser, a group they are
--     a member of) is refused, so a group role is never the author of a record and the rules that
--     compare logins (self-approval, own activities) always compare the person.
--   * the service: a login that is a member of the NOLOGIN role vledger_service (and is neither a
--     person nor the owner) acts for one person per transaction: `SET LOCAL ROLE person` at the
--     start of each transaction (the service login is made a member of each person's role). The
--     actor is then that person, and only because the session's login is a service login; with
--     no such SET ROLE, or a SET ROLE to anything but a person of app_user, its writes are refused.
--     The HTTP service is not built yet; this is the contract it will connect under.
--   * the owner: session_user is a member of the role that owns vledger's tables (the embedded
--     default, migrations, administrators' scripts; superusers count as members of every role).
--     The owner is the actor, or the person it SET ROLE to.
--   * anyone else (a login made outside vl_user_add, a stale login): writes are refused.
-- A client may name the actor (recorded_by = its own login) but not anybody else.
--
-- RECORD TIMES. Every record time (recorded_at, decided_at, added_at, created_at, issued_at) is
-- clock_timestamp() when the row is written. A day-to-day login that sends one is refused; no
-- login changes one afterwards. Only the owner may write rows with their original record times
-- (the sample city, a city moving from paper records); such a statement is recorded in
-- historic_load (which table, how many rows, the span of their record times, by whom, when), and
-- `metrics --as-recorded-at T` warns when rows loaded so are among the records it reads.
--
-- HOW. The columns lose their defaults (NULL means "not sent"; NOT NULL still holds after the
-- triggers) and each table gets, from vl_stamp_attach(table):
--   _vl_actor        BEFORE STATEMENT: the identity check above (one app_user lookup a statement);
--   _vl_stamp        BEFORE INSERT OR UPDATE FOR EACH ROW: fills or checks the columns (no table
--                    lookups on the common path: a 3,000,000-row import pays a few GUC reads a row);
--                    named with a leading underscore so it fires before every rule trigger, which
--                    then sees the final values;
--   vl_stamp_loaded  AFTER INSERT FOR EACH STATEMENT: the owner's historic rows into historic_load.
-- Both row and statement parts are generic; a table created by a later migration with any of
-- these columns needs `SELECT vl_stamp_attach('new_table');` (the catalog test in
-- SecurityCatalogTests fails until it has it). vl_actor_check works on any table, with or
-- without who-columns (vl_stamp_attach attaches it to tables without them too).

-- The functions below get their fixed search_path from vl_pin_search_path() in 0071 (the schema
-- this runs in, pg_catalog, pg_temp last), like every other function of the schema.

-- The service logins' group (see above). Cluster-wide, like the groups of 0040.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vledger_service') THEN
        BEGIN
            CREATE ROLE vledger_service NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;

-- Statements that wrote rows with their original record times (owner only).
CREATE TABLE historic_load (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name     text NOT NULL,
    row_count      bigint NOT NULL,
    earliest_record timestamptz NOT NULL,
    latest_record  timestamptz NOT NULL,
    loaded_by      text NOT NULL,
    loaded_at      timestamptz NOT NULL,
    transaction_id xid8 NOT NULL
);
CREATE INDEX historic_load_by_table ON historic_load (table_name, earliest_record);

-- The actor when the current role is p_role (SET ROLE, or SET LOCAL ROLE by the service).
-- Runs as the owner, so current_user here is the owner of vledger's tables.
CREATE FUNCTION vl_actor_acting_as(p_role text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM app_user WHERE login = p_role) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('vledger: logged in as %s but acting as role %s, which is not a person: a group role is never the author of a record (RESET ROLE and write as yourself)',
                             session_user, p_role);
    END IF;
    IF EXISTS (SELECT 1 FROM app_user WHERE login = session_user) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('vledger: logged in as %s but acting as %s: a person writes only as themselves', session_user, p_role);
    END IF;
    IF pg_has_role(session_user, current_user, 'MEMBER')
       OR (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vledger_service') AND pg_has_role(session_user, 'vledger_service', 'MEMBER')) THEN
        RETURN p_role;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = format('vledger: login %s may not act for %s: only a service login (member of vledger_service) acts for a person', session_user, p_role);
END
$$;

-- BEFORE STATEMENT on every table: refuses a write by anyone who is not a person, the service
-- acting for a person, or the owner. Owner's rights (reads app_user; current_user = the owner).
CREATE FUNCTION vl_actor_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v_role text := current_setting('role');
BEGIN
    IF v_role <> 'none' AND v_role <> session_user THEN
        PERFORM vl_actor_acting_as(v_role);
        RETURN NULL;
    END IF;
    IF pg_has_role(session_user, current_user, 'MEMBER') OR EXISTS (SELECT 1 FROM app_user WHERE login = session_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = format('vledger: login %s is neither a person of this database (app_user) nor its owner: it may not write %s%s',
                         session_user, TG_TABLE_NAME,
                         CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vledger_service') AND pg_has_role(session_user, 'vledger_service', 'MEMBER')
                              THEN ' (a service login acts for a person: SET LOCAL ROLE person in each transaction)' ELSE '' END);
END
$$;

CREATE FUNCTION vl_stamp_refuse_actor(p_column text, p_actor text, p_value text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- Worded as the policies of 0042 word it.
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = format('%s must be your own login %s, not "%s"', p_column, p_actor, p_value);
END
$$;

CREATE FUNCTION vl_stamp_refuse_time(p_table text, p_column text, p_value timestamptz, p_update boolean) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF p_update THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('vledger: %s.%s: written once by the database when the row was recorded; it is never changed', p_table, p_column);
    ELSIF p_value > clock_timestamp() THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = p_table || '_' || p_column || '_not_future',
            MESSAGE = format('vledger: %s.%s "%s": a record time cannot be in the future', p_table, p_column, p_value);
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = format('vledger: %s.%s: set by the database when the row is written (only the database owner loads rows with their original record times)',
                         p_table, p_column);
END
$$;

-- AFTER INSERT FOR EACH STATEMENT: the owner's rows whose record time (TG_ARGV[0]) is earlier
-- than the statement's start were loaded with their original times, not stamped now.
CREATE FUNCTION vl_stamp_loaded() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v_rows bigint;
    v_first timestamptz;
    v_last timestamptz;
BEGIN
    IF NOT pg_has_role(session_user, current_user, 'MEMBER') OR current_setting('role') NOT IN ('none', session_user::text) THEN
        RETURN NULL;  -- only the owner keeps sent record times; everyone else's rows were stamped now
    END IF;
    EXECUTE format('SELECT count(*), min(%1$I), max(%1$I) FROM vl_stamp_new WHERE %1$I < statement_timestamp()', TG_ARGV[0])
        INTO v_rows, v_first, v_last;
    IF v_rows > 0 THEN
        INSERT INTO historic_load (table_name, row_count, earliest_record, latest_record, loaded_by, loaded_at, transaction_id)
        VALUES (TG_TABLE_NAME, v_rows, v_first, v_last, session_user, clock_timestamp(), pg_current_xact_id());
    END IF;
    RETURN NULL;
END
$$;

-- The who- and when-columns vl_stamp_attach recognises, by name.
CREATE FUNCTION vl_stamp_actor_columns() RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT ARRAY['recorded_by', 'decided_by', 'added_by', 'created_by'] $$;
CREATE FUNCTION vl_stamp_time_columns() RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT ARRAY['recorded_at', 'decided_at', 'added_at', 'created_at', 'issued_at'] $$;

-- Puts a table under the rules above (idempotent): drops the defaults of its who- and
-- when-columns, writes its row trigger function vl_stamp_<table>() from the catalog (plain
-- NEW.column code, no per-row dynamic SQL) and attaches the triggers. A table with none of the
-- columns gets only the statement check.
CREATE FUNCTION vl_stamp_attach(p_table regclass) RETURNS void
    LANGUAGE plpgsql
    SET client_min_messages = warning
    AS $attach$
DECLARE
    v_name text;
    v_schema text;
    v_actors text[];
    v_times text[];
    v_body text := '';
    v_update text := '';
    c text;
BEGIN
    SELECT c.relname, n.nspname INTO v_name, v_schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = p_table;
    SELECT coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attname = ANY (vl_stamp_actor_columns())), '{}'),
           coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attname = ANY (vl_stamp_time_columns())), '{}')
      INTO v_actors, v_times
      FROM pg_attribute a WHERE a.attrelid = p_table AND a.attnum > 0 AND NOT a.attisdropped;

    EXECUTE format('DROP TRIGGER IF EXISTS _vl_actor ON %s', p_table);
    EXECUTE format('CREATE TRIGGER _vl_actor BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION vl_actor_check()', p_table);
    EXECUTE format('DROP TRIGGER IF EXISTS _vl_stamp ON %s', p_table);
    EXECUTE format('DROP TRIGGER IF EXISTS vl_stamp_loaded ON %s', p_table);
    IF cardinality(v_actors) + cardinality(v_times) = 0 THEN
        RETURN;
    END IF;

    FOREACH c IN ARRAY v_actors LOOP
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', p_table, c);
        v_body := v_body || format($f$
        IF NEW.%1$I IS NULL THEN
            NEW.%1$I := v_actor;
        ELSIF NEW.%1$I <> v_actor AND NOT v_owner THEN
            PERFORM vl_stamp_refuse_actor(%1$L, v_actor, NEW.%1$I);
        END IF;$f$, c);
        v_update := v_update || format($f$
        IF NEW.%1$I IS DISTINCT FROM OLD.%1$I THEN
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                MESSAGE = 'vledger: %2$s.%1$s: written once by the database when the row was recorded; it is never changed';
        END IF;$f$, c, v_name);
    END LOOP;
    FOREACH c IN ARRAY v_times LOOP
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', p_table, c);
        v_body := v_body || format($f$
        IF NEW.%1$I IS NULL THEN
            NEW.%1$I := clock_timestamp();
        ELSIF NOT v_owner OR NEW.%1$I > clock_timestamp() THEN
            PERFORM vl_stamp_refuse_time(%2$L, %1$L, NEW.%1$I, false);
        END IF;$f$, c, v_name);
        v_update := v_update || format($f$
        IF NEW.%1$I IS DISTINCT FROM OLD.%1$I THEN
            PERFORM vl_stamp_refuse_time(%2$L, %1$L, NEW.%1$I, true);
        END IF;$f$, c, v_name);
    END LOOP;

    -- Owner's rights only to know the owner (current_user inside): pg_has_role is a cached
    -- catalog lookup, so the common path reads no table. A current role other than the login
    -- (the service's SET LOCAL ROLE, or a SET ROLE inside the statement) is checked in full.
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION %1$I.%2$I() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = %3$s
            SET jit = off
            AS $body$
        DECLARE
            v_role text := current_setting('role');
            v_actor text;
            v_owner boolean;
        BEGIN
            IF v_role = 'none' OR v_role = session_user THEN
                v_actor := session_user;
                v_owner := pg_has_role(session_user, current_user, 'MEMBER');
            ELSE
                v_actor := vl_actor_acting_as(v_role);
                v_owner := false;
            END IF;
            IF TG_OP = 'INSERT' THEN%4$s
            ELSE%5$s
            END IF;
            RETURN NEW;
        END
        $body$$f$, v_schema, 'vl_stamp_' || v_name, format('%I, pg_catalog, pg_temp', v_schema), v_body, v_update);
    EXECUTE format('REVOKE ALL ON FUNCTION %I.%I() FROM PUBLIC', v_schema, 'vl_stamp_' || v_name);
    EXECUTE format('CREATE TRIGGER _vl_stamp BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION %I.%I()',
                   p_table, v_schema, 'vl_stamp_' || v_name);
    IF cardinality(v_times) > 0 THEN
        EXECUTE format('CREATE TRIGGER vl_stamp_loaded AFTER INSERT ON %s REFERENCING NEW TABLE AS vl_stamp_new
                        FOR EACH STATEMENT EXECUTE FUNCTION vl_stamp_loaded(%L)', p_table, v_times[1]);
    END IF;
END
$attach$;
REVOKE ALL ON FUNCTION vl_stamp_attach(regclass) FROM PUBLIC;

-- Every table of vledger's schema but the audit trail (written only by its owner-rights
-- triggers, forced row-level security) and the migration ledger.
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN
        SELECT c.oid::regclass FROM pg_class c
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
           AND c.relname NOT IN ('audit_chain', 'audit_log', 'schema_migration')
         ORDER BY c.relname
    LOOP
        PERFORM vl_stamp_attach(t);
    END LOOP;
END
$$;

-- The historic loads are the owner's record; everyone who reads the trail reads them.
SELECT vl_security_attach('historic_load');
SELECT vl_audit_attach('historic_load');
CREATE TRIGGER historic_load_fixed BEFORE UPDATE OR DELETE ON historic_load
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

REVOKE ALL ON FUNCTION vl_actor_acting_as(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_actor_check() FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_stamp_loaded() FROM PUBLIC;
