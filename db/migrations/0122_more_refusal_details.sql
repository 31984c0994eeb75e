-- The remaining refusals of who may write (0070), the ID-number lookup limit (0090) and user
-- accounts (0040) raise through vl_raise / vl_refuse too (issue 12, part 2), so that a person
-- reads them in their language with the numbers. Messages as before, except where noted; the
-- functions' logic, security and settings are as they were (kept and put back as in 0120).

SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_schema()), true);

CREATE TEMP TABLE vl_0122_kept ON COMMIT DROP AS
SELECT p.oid, p.prosecdef, p.provolatile, p.proconfig FROM pg_catalog.pg_proc p
 WHERE p.pronamespace = current_schema()::regnamespace
   AND p.proname IN ('vl_actor_acting_as', 'vl_actor_check', 'vl_stamp_refuse_actor', 'vl_stamp_refuse_time',
                     'vl_id_lookup_refuse', 'vl_id_lookup_two_steps', 'vl_user_add');

CREATE OR REPLACE FUNCTION vl_actor_acting_as(p_role text) RETURNS text
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM app_user WHERE login = p_role) THEN
        PERFORM vl_refuse('actor_group_role',
            format('vledger: logged in as %s but acting as role %s, which is not a person: a group role is never the author of a record (RESET ROLE and write as yourself)',
                   session_user, p_role),
            jsonb_build_object('login', session_user::text, 'role', p_role));
    END IF;
    IF EXISTS (SELECT 1 FROM app_user WHERE login = session_user) THEN
        PERFORM vl_refuse('actor_person_as_other',
            format('vledger: logged in as %s but acting as %s: a person writes only as themselves', session_user, p_role),
            jsonb_build_object('login', session_user::text, 'role', p_role));
    END IF;
    IF pg_has_role(session_user, current_user, 'MEMBER')
       OR (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vledger_service') AND pg_has_role(session_user, 'vledger_service', 'MEMBER')) THEN
        RETURN p_role;
    END IF;
    PERFORM vl_refuse('actor_not_service',
        format('vledger: login %s may not act for %s: only a service login (member of vledger_service) acts for a person', session_user, p_role),
        jsonb_build_object('login', session_user::text, 'role', p_role));
END
$$;

CREATE OR REPLACE FUNCTION vl_actor_check() RETURNS trigger
    LANGUAGE plpgsql
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
    PERFORM vl_refuse('actor_unknown_login',
        format('vledger: login %s is neither a person of this database (app_user) nor its owner: it may not write %s%s',
               session_user, TG_TABLE_NAME,
               CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vledger_service') AND pg_has_role(session_user, 'vledger_service', 'MEMBER')
                    THEN ' (a service login acts for a person: SET LOCAL ROLE person in each transaction)' ELSE '' END),
        jsonb_build_object('login', session_user::text, 'table', TG_TABLE_NAME));
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION vl_stamp_refuse_actor(p_column text, p_actor text, p_value text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- Worded as the policies of 0042 word it, with their code.
    PERFORM vl_refuse('recorded_by_own_login', format('%s must be your own login %s, not "%s"', p_column, p_actor, p_value),
                      jsonb_build_object('column', p_column, 'login', p_actor, 'value', left(p_value, 60)));
END
$$;

CREATE OR REPLACE FUNCTION vl_stamp_refuse_time(p_table text, p_column text, p_value timestamptz, p_update boolean) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF p_update THEN
        PERFORM vl_refuse('record_time_fixed',
            format('vledger: %s.%s: written once by the database when the row was recorded; it is never changed', p_table, p_column),
            jsonb_build_object('table', p_table, 'column', p_column));
    ELSIF p_value > clock_timestamp() THEN
        PERFORM vl_refuse(p_table || '_' || p_column || '_not_future',
            format('vledger: %s.%s "%s": a record time cannot be in the future', p_table, p_column, p_value),
            jsonb_build_object('table', p_table, 'column', p_column, 'value', vl_local_text(p_value)), 'check_violation');
    END IF;
    PERFORM vl_refuse('record_time_by_database',
        format('vledger: %s.%s: set by the database when the row is written (only the database owner loads rows with their original record times)',
               p_table, p_column),
        jsonb_build_object('table', p_table, 'column', p_column));
END
$$;

CREATE OR REPLACE FUNCTION vl_id_lookup_refuse(p_login text, p_refused int, p_limit int) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    -- When the oldest counted miss of the hour falls out of it.
    v_until timestamptz := (SELECT min(l.recorded_at) + interval '1 hour'
                              FROM id_lookup l JOIN id_lookup_answer a ON a.lookup_id = l.id
                             WHERE l.recorded_by = p_login AND a.counted > 0 AND l.recorded_at > clock_timestamp() - interval '1 hour');
BEGIN
    PERFORM vl_refuse('id_lookup_limited',
        format('vledger: lookups by ID number refused for %s until %s: %s lookups by ID number found nothing within the hour (limit %s, setting id_lookup_misses_per_hour); use the volunteer number (%s not looked up)',
               p_login,
               coalesce(to_char(v_until AT TIME ZONE vl_time_zone(), 'YYYY-MM-DD HH24:MI'), 'the hour is over'),
               p_limit, p_limit, p_refused),
        jsonb_build_object('login', p_login, 'until', to_char(v_until AT TIME ZONE vl_time_zone(), 'YYYY-MM-DD HH24:MI'),
                           'limit', p_limit::text, 'refused', p_refused::text),
        'check_violation');
END
$$;

CREATE OR REPLACE FUNCTION vl_id_lookup_two_steps(p_key text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM vl_refuse('id_lookup_two_steps',
        format('vledger: ID number %s: look ID numbers up with SELECT vl_id_lookup_request(ARRAY[...]) and, once that has committed, SELECT * FROM vl_id_lookup_result(id) (lookups that find nothing are counted and limited)',
               vl_mask_id_number(p_key)),
        jsonb_build_object('id_number', vl_mask_id_number(p_key)));
END
$$;

CREATE OR REPLACE FUNCTION vl_user_add(p_login text, p_role text, p_district text, p_password_verifier text)
    RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF p_login IS NULL OR p_login !~ '^[a-z_][a-z0-9_]{0,62}$' THEN
        PERFORM vl_raise('app_user_login_format', 'login', p_login,
            'must be lower-case letters, digits and _ (not starting with a digit), at most 63');
    END IF;
    IF p_login LIKE 'pg\_%' OR p_login LIKE 'vledger\_%' OR p_login IN ('postgres', 'public') THEN
        PERFORM vl_raise('app_user_login_reserved', 'login', p_login, 'reserved name');
    END IF;
    IF p_role IS NULL OR p_role NOT IN ('staff', 'organiser', 'office', 'admin') THEN
        PERFORM vl_raise('app_user_role_known', 'role', p_role, 'must be staff, organiser, office or admin');
    END IF;
    IF p_role = 'staff' AND p_district IS NULL THEN
        PERFORM vl_raise('app_user_staff_district', 'district', NULL, 'staff need a district (--district CODE)');
    END IF;
    IF p_district IS NOT NULL AND NOT EXISTS (SELECT 1 FROM district WHERE code = p_district) THEN
        PERFORM vl_raise('app_user_district_code_fkey', 'district', p_district, 'no such district', NULL, 'foreign_key_violation');
    END IF;
    IF p_password_verifier IS NOT NULL AND p_password_verifier !~ '^SCRAM-SHA-256\$' THEN
        PERFORM vl_raise('app_user_password_hashed', 'password', NULL, 'must arrive as a SCRAM-SHA-256 verifier, never in clear');
    END IF;
    IF EXISTS (SELECT 1 FROM app_user WHERE login = p_login) THEN
        PERFORM vl_raise('app_user_pkey', 'login', p_login, 'already a user of this database', NULL, 'unique_violation');
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        -- Roles are shared by every database on the server: never adopt someone else's login.
        PERFORM vl_raise('app_user_login_free', 'login', p_login, 'a role of that name already exists on this server', NULL, 'unique_violation');
    END IF;
    IF p_password_verifier IS NULL THEN
        EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', p_login, 'vledger_' || p_role);
    ELSE
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', p_login, p_password_verifier, 'vledger_' || p_role);
    END IF;
    INSERT INTO app_user (login, role, district_code) VALUES (p_login, p_role, p_district);
END
$$;

-- Security, volatility and settings as they were before the replacement.
DO $$
DECLARE
    k record;
    setting text;
BEGIN
    FOR k IN SELECT * FROM pg_temp.vl_0122_kept LOOP
        EXECUTE format('ALTER FUNCTION %s SECURITY %s %s', k.oid::regprocedure, CASE WHEN k.prosecdef THEN 'DEFINER' ELSE 'INVOKER' END,
                       CASE k.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END);
        EXECUTE format('ALTER FUNCTION %s RESET ALL', k.oid::regprocedure);
        FOREACH setting IN ARRAY coalesce(k.proconfig, '{}') LOOP
            EXECUTE format('ALTER FUNCTION %s SET %s TO %s', k.oid::regprocedure, split_part(setting, '=', 1),
                           substr(setting, strpos(setting, '=') + 1));
        END LOOP;
    END LOOP;
END
$$;
