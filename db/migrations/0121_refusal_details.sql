-- Refusals that are not about one value (a login may not write this row) get a code and
-- arguments too (issue 12, part 2): `vl_refuse` raises with the code as CONSTRAINT, the MESSAGE
-- exactly as before (psql users and scripts read it), and the DETAIL of 0120 without a field:
--     {"field": null, "value": null, "args": {"activity": "7"}}
-- vledger renders `error.CODE` with the arguments in the person's language.
--
-- The functions below are those of 0041 and 0042 with only their RAISE statements changed.
-- Their security, volatility and settings are read before and put back after, as in 0120.

SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_schema()), true);

CREATE TEMP TABLE vl_0121_kept ON COMMIT DROP AS
SELECT p.oid, p.prosecdef, p.provolatile, p.proconfig FROM pg_catalog.pg_proc p
 WHERE p.pronamespace = current_schema()::regnamespace
   AND p.proname IN ('vl_check_recorded_by', 'vl_check_staff_volunteer', 'vl_check_staff_district_row',
                     'vl_check_activity_owner', 'vl_check_may_record', 'vl_check_may_decide', 'vl_audit_refuse_change');

CREATE FUNCTION vl_refuse(p_code text, p_message text, p_args jsonb DEFAULT NULL, p_state text DEFAULT 'insufficient_privilege')
    RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = p_state, CONSTRAINT = p_code, MESSAGE = p_message,
        DETAIL = vl_rule_detail(NULL, NULL, p_args);
END
$$;

CREATE OR REPLACE FUNCTION vl_check_recorded_by(p_column text, p_value text, p_login text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF p_value IS DISTINCT FROM p_login THEN
        PERFORM vl_refuse('recorded_by_own_login', format('%s must be your own login %s, not "%s"', p_column, p_login, p_value),
                          jsonb_build_object('column', p_column, 'login', p_login, 'value', left(p_value, 60)));
    END IF;
    RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION vl_check_staff_volunteer(p_volunteer bigint, p_login text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_mine text := (SELECT district_code FROM app_user WHERE login = p_login);
    v_current text := vl_current_district(p_volunteer);
    v_number text;
    v_recorded_by text;
BEGIN
    SELECT number, recorded_by INTO v_number, v_recorded_by FROM volunteer WHERE id = p_volunteer;
    -- Theirs: of their district today, or being registered by them (no district row yet).
    IF v_current = v_mine OR (v_current IS NULL AND v_recorded_by = p_login) THEN
        RETURN true;
    END IF;
    PERFORM vl_refuse('staff_volunteer_district',
        format('volunteer %s is not of your district %s: staff change only the volunteers of their own district',
               coalesce(v_number, p_volunteer::text), coalesce(v_mine, '(none)')),
        jsonb_build_object('number', coalesce(v_number, p_volunteer::text), 'district', v_mine));
END
$$;

CREATE OR REPLACE FUNCTION vl_check_staff_district_row(p_volunteer bigint, p_district text, p_login text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_mine text := (SELECT district_code FROM app_user WHERE login = p_login);
BEGIN
    IF p_district IS DISTINCT FROM v_mine AND NOT EXISTS (SELECT 1 FROM volunteer_district WHERE volunteer_id = p_volunteer) THEN
        PERFORM vl_refuse('staff_register_district',
            format('district "%s": staff of district %s register volunteers only into their own district',
                   p_district, coalesce(v_mine, '(none)')),
            jsonb_build_object('district', p_district, 'own', v_mine));
    END IF;
    RETURN vl_check_staff_volunteer(p_volunteer, p_login);
END
$$;

CREATE OR REPLACE FUNCTION vl_check_activity_owner(p_activity bigint, p_login text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM activity WHERE id = p_activity AND owner_login = p_login) THEN
        PERFORM vl_refuse('activity_owner_only', format('activity %s is not yours: only its owner adds or removes organisers', p_activity),
                          jsonb_build_object('activity', p_activity::text));
    END IF;
    RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION vl_check_may_record(p_activity bigint, p_recorded_by text, p_login text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM vl_check_recorded_by('recorded_by', p_recorded_by, p_login);
    IF NOT vl_may_organise(p_activity, p_login) THEN
        PERFORM vl_refuse('activity_not_organised',
            format('activity %s is not one of your activities: organisers record hours only on their own activities', p_activity),
            jsonb_build_object('activity', p_activity::text));
    END IF;
    RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION vl_check_may_decide(p_entry bigint, p_decision text, p_decided_by text, p_login text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_activity bigint;
    v_recorded_by text;
BEGIN
    PERFORM vl_check_recorded_by('decided_by', p_decided_by, p_login);
    SELECT activity_id, recorded_by INTO v_activity, v_recorded_by FROM hours_entry WHERE id = p_entry;
    IF NOT FOUND THEN
        RETURN true;  -- the foreign key names the missing entry
    END IF;
    IF NOT vl_may_organise(v_activity, p_login) THEN
        PERFORM vl_refuse('entry_not_organised',
            format('entry %s is on activity %s, which is not one of your activities: organisers decide hours only on their own activities', p_entry, v_activity),
            jsonb_build_object('entry', p_entry::text, 'activity', v_activity::text));
    END IF;
    IF p_decision = 'approved' AND v_recorded_by = p_login THEN
        PERFORM vl_refuse('hours_decision_not_self_approved',
            format('vledger: entry %s: you recorded it yourself, so another organiser or an admin must approve it', p_entry),
            jsonb_build_object('entry', p_entry::text), 'check_violation');
    END IF;
    RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION vl_audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM vl_refuse('audit_trail_fixed', format('the audit trail cannot be changed or deleted (%s on %s refused)', TG_OP, TG_TABLE_NAME),
                      jsonb_build_object('operation', TG_OP, 'table', TG_TABLE_NAME));
END
$$;

-- Security, volatility and settings as they were before the replacement.
DO $$
DECLARE
    k record;
    setting text;
BEGIN
    FOR k IN SELECT * FROM pg_temp.vl_0121_kept LOOP
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
