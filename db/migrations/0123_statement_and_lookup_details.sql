-- Statements (0030, 0080) and the ID-number lookup (0090) raise through vl_raise / vl_refuse
-- (issue 12, part 2): codes and arguments for the catalog; messages as before. Logic, security,
-- volatility and settings as they were (kept and put back as in 0120).

SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_schema()), true);

CREATE TEMP TABLE vl_0123_kept ON COMMIT DROP AS
SELECT p.oid, p.prosecdef, p.provolatile, p.proconfig FROM pg_catalog.pg_proc p
 WHERE p.pronamespace = current_schema()::regnamespace
   AND p.proname IN ('vl_statement_issue_immutable', 'vl_statement_issue_guard', 'vl_statement_issue_refuse_truncate',
                     'vl_statement_issue', 'vl_setting_id_lookup_valid', 'vl_id_lookup_result', 'vl_id_lookup_request');

CREATE OR REPLACE FUNCTION vl_statement_issue_immutable() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM vl_raise('statement_issue_immutable', 'statement', OLD.number, 'an issued statement is never changed or removed');
END
$$;

CREATE OR REPLACE FUNCTION vl_statement_issue_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_problem text;
BEGIN
    IF NEW.activities IS NULL THEN
        PERFORM vl_refuse('statement_issue_by_function',
            'vledger: a statement is issued only by vl_statement_issue (vledger statement), which computes it from the ledger');
    END IF;
    v_problem := vl_statement_problem(NEW, false);
    -- Numbers stay gap-free: the number is the one just taken from the counter (vl_statement_issue).
    IF v_problem IS NULL AND NEW.sequence IS DISTINCT FROM (SELECT c.last_number FROM statement_counter c WHERE c.year = NEW.year) THEN
        v_problem := 'its number was not taken from statement_counter';
    END IF;
    IF v_problem IS NOT NULL THEN
        PERFORM vl_refuse('statement_issue_by_function',
            format('vledger: statement "%s" refused: %s (a statement is issued only by vl_statement_issue, which computes it from the ledger)',
                   NEW.number, v_problem),
            jsonb_build_object('number', NEW.number, 'problem', v_problem));
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION vl_statement_issue_refuse_truncate() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM vl_refuse('statement_issue_immutable', 'vledger: issued statements are never changed or removed (TRUNCATE refused)',
                      jsonb_build_object('operation', 'TRUNCATE'), 'check_violation');
END
$$;

CREATE OR REPLACE FUNCTION vl_statement_issue(p_volunteer bigint, p_from date, p_to date, p_issuer text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_role text := current_setting('role');
    v_actor text;
    v_owner boolean := false;
    v record;
    v_zone text := vl_time_zone();
    v_thresholds int[] := vl_star_thresholds(vl_setting('star_thresholds_hours'));
    v_today date;
    v_from date;
    v_to date;
    v_issuer text;
    v_at timestamptz;
    f record;
    v_head_id bigint;
    v_head_hash text;
    v_head_at timestamptz;
    v_sequence int;
    v_id bigint;
BEGIN
    IF v_role = 'none' OR v_role = session_user THEN
        v_actor := session_user;
        v_owner := pg_has_role(session_user, current_user, 'MEMBER');
    ELSE
        v_actor := vl_actor_acting_as(v_role);
    END IF;
    SELECT x.id, x.number, x.name, x.id_type, x.id_number, x.registered_on INTO v FROM volunteer x WHERE x.id = p_volunteer;
    IF NOT FOUND THEN
        PERFORM vl_refuse('statement_volunteer_exists', format('vledger: volunteer %s: no such volunteer', p_volunteer),
                          jsonb_build_object('volunteer', p_volunteer::text), 'no_data_found');
    END IF;
    IF NOT (v_owner OR vl_is_admin(v_actor) OR pg_has_role(v_actor, 'vledger_office', 'MEMBER')) THEN
        IF NOT pg_has_role(v_actor, 'vledger_staff', 'MEMBER') THEN
            PERFORM vl_refuse('statement_issue_role',
                format('permission denied: %s may not issue statements (community staff, the office and admins do)', v_actor),
                jsonb_build_object('login', v_actor));
        END IF;
        IF NOT EXISTS (SELECT 1 FROM vl_district_volunteers(v_actor) AS d(id) WHERE d.id = p_volunteer) THEN
            PERFORM vl_refuse('statement_issue_district',
                format('volunteer %s is not of your district %s: staff issue statements only for the volunteers of their own district',
                       v.number, coalesce(vl_login_district(v_actor), '(none)')),
                jsonb_build_object('number', v.number, 'district', vl_login_district(v_actor)));
        END IF;
    END IF;
    v_issuer := btrim(coalesce(p_issuer, v_actor));
    IF v_issuer = '' OR length(v_issuer) > 100 THEN
        PERFORM vl_raise('statement_issue_issuer_present', 'issuer', v_issuer, 'must be a name of 1 to 100 characters',
                         jsonb_build_object('limit', '100'));
    END IF;

    -- Entries and decisions for the volunteer take this lock too: none is in flight while the
    -- figures are read, so the replay at issued_at (verify) reads exactly what was read here.
    PERFORM 1 FROM volunteer WHERE id = p_volunteer FOR UPDATE;
    v_at := clock_timestamp();
    v_today := (v_at AT TIME ZONE v_zone)::date;
    v_to := coalesce(p_to, v_today);
    IF v_to > v_today THEN
        PERFORM vl_raise('statement_issue_period_past', 'to', v_to::text, format('must not be after today (%s)', v_today),
                         jsonb_build_object('today', v_today::text));
    END IF;
    v_from := coalesce(p_from, least(v.registered_on, v_to));
    IF v_from > v_to THEN
        PERFORM vl_raise('statement_issue_period_order', 'from', v_from::text, format('must not be after --to (%s)', v_to),
                         jsonb_build_object('to', v_to::text));
    END IF;
    f := vl_statement_figures(p_volunteer, v_from, v_to, v_zone, v_at);
    SELECT c.id, c.hash, c.recorded_at INTO v_head_id, v_head_hash, v_head_at FROM audit_chain c ORDER BY c.id DESC LIMIT 1;

    -- The counter row stays locked until commit: numbers are unique and without gaps.
    INSERT INTO statement_counter (year, last_number) VALUES (extract(year FROM v_today)::int, 1)
    ON CONFLICT (year) DO UPDATE SET last_number = statement_counter.last_number + 1
    RETURNING last_number INTO v_sequence;

    INSERT INTO statement_issue (number, year, sequence, volunteer_id, period_from, period_to, total_minutes,
                                 cumulative_minutes, star_level, issued_by, issued_on, volunteer_number, name, id_type,
                                 masked_id_number, time_zone, star_thresholds_hours, activities, audit_head_id, audit_head_hash,
                                 audit_head_recorded_at)
    VALUES (lpad(extract(year FROM v_today)::text, 4, '0') || '-' || lpad(v_sequence::text, 6, '0'),
            extract(year FROM v_today)::int, v_sequence, p_volunteer, v_from, v_to, f.total_minutes,
            f.cumulative_minutes, vl_star_level(f.cumulative_minutes, v_thresholds), v_issuer, v_today, v.number, v.name,
            v.id_type, vl_mask_id_number(v.id_number), v_zone, v_thresholds, f.activities, v_head_id, v_head_hash, v_head_at)
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION vl_setting_id_lookup_valid() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.name = 'id_lookup_misses_per_hour' AND (NEW.value !~ '^[0-9]{1,4}$' OR NEW.value::int > 1000) THEN
        PERFORM vl_refuse('setting_id_lookup_misses_per_hour_valid',
            format('vledger: setting id_lookup_misses_per_hour "%s": must be a whole number from 0 to 1000 (lookups by ID number that may find nothing within an hour)', NEW.value),
            jsonb_build_object('value', left(NEW.value, 60)), 'check_violation');
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION vl_id_lookup_result(p_lookup bigint, p_partial boolean DEFAULT false)
    RETURNS TABLE (ordinal int, outcome text, id bigint, number text, name text)
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_actor text := vl_lookup_actor();
    v_login text;
    v_xact xid8;
    v_refused int;
    v_limit int;
BEGIN
    SELECT l.recorded_by, l.transaction_id, a.refused, l.limit_per_hour INTO v_login, v_xact, v_refused, v_limit
      FROM id_lookup l JOIN id_lookup_answer a ON a.lookup_id = l.id WHERE l.id = p_lookup;
    IF NOT FOUND OR v_login IS DISTINCT FROM v_actor THEN
        PERFORM vl_refuse('id_lookup_exists', format('vledger: ID-number lookup %s: no such lookup by %s', p_lookup, v_actor),
                          jsonb_build_object('lookup', p_lookup::text, 'login', v_actor), 'no_data_found');
    END IF;
    IF pg_xact_status(v_xact) IS DISTINCT FROM 'committed' THEN
        PERFORM vl_refuse('id_lookup_committed',
            format('vledger: ID-number lookup %s is answered only after the transaction that asked it has committed (every lookup that finds nothing counts, rolled back or not): run SELECT vl_id_lookup_request(...) on its own, then read its result', p_lookup),
            jsonb_build_object('lookup', p_lookup::text), 'object_not_in_prerequisite_state');
    END IF;
    -- A read-only caller (a listing) leaves the settling to the login's next lookup.
    IF current_setting('transaction_read_only') = 'off' THEN
        PERFORM vl_id_lookup_settle(v_login);
    END IF;
    IF v_refused > 0 AND NOT p_partial THEN
        PERFORM vl_id_lookup_refuse(v_login, v_refused, v_limit);
    END IF;
    RETURN QUERY
    SELECT u.ord::int,
           CASE u.outcome WHEN 'f' THEN 'found' WHEN 'm' THEN 'not_found' ELSE 'refused' END,
           v.id, v.number, v.name
      FROM id_lookup_answer a
     CROSS JOIN LATERAL unnest(a.volunteer_ids, string_to_array(a.outcomes, NULL)) WITH ORDINALITY AS u(volunteer_id, outcome, ord)
      LEFT JOIN volunteer v ON v.id = nullif(u.volunteer_id, 0)
     WHERE a.lookup_id = p_lookup
     ORDER BY u.ord;
END
$$;

CREATE OR REPLACE FUNCTION vl_id_lookup_request(p_keys text[]) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_actor text := vl_lookup_actor();
    v_admin boolean := vl_is_admin(v_actor);
    v_staff boolean := pg_has_role(v_actor, 'vledger_staff', 'MEMBER');
    v_limit int := vl_id_lookup_limit();
    v_recent bigint := 0;
    v_room bigint;
    v_id bigint;
    v_outcomes text;
    v_ids bigint[];
    v_found int;
    v_missed int;
    v_refused int;
    v_counted int;
    v_own bigint[] := '{}';
BEGIN
    IF p_keys IS NULL THEN
        PERFORM vl_refuse('id_lookup_keys_given', 'vledger: vl_id_lookup_request: give an array of ID numbers', NULL, 'null_value_not_allowed');
    END IF;
    IF v_admin THEN
        v_room := NULL;  -- not limited
    ELSE
        -- The login's lock, then its misses of the last hour as committed by its earlier lookups.
        INSERT INTO id_lookup_budget AS b (login, lookups) VALUES (v_actor, 1)
        ON CONFLICT (login) DO UPDATE SET lookups = b.lookups + 1;
        SELECT coalesce(sum(a.counted), 0) INTO v_recent
          FROM id_lookup l JOIN id_lookup_answer a ON a.lookup_id = l.id
         WHERE l.recorded_by = v_actor AND l.recorded_at > clock_timestamp() - interval '1 hour';
        v_room := greatest(v_limit - v_recent, 0);
    END IF;
    PERFORM vl_id_lookup_settle(v_actor);
    -- Staff: their district's volunteers, read whatever the keys find (see above).
    IF v_staff AND NOT v_admin THEN
        v_own := ARRAY(SELECT f.id FROM vl_district_volunteers(v_actor) AS f(id));
    END IF;

    WITH k AS (
        SELECT u.ord, upper(btrim(u.key)) AS key FROM unnest(p_keys) WITH ORDINALITY AS u(key, ord)
    ),
    -- By the masked form only; the full number is compared among the fetched rows (see above).
    masked AS (
        SELECT k.ord, k.key, nullif(f.id, 0) AS id
        FROM k JOIN unnest(vl_id_lookup_masked(ARRAY(SELECT k2.key FROM k k2 ORDER BY k2.ord))) WITH ORDINALITY AS f(id, ord) ON f.ord = k.ord
    ),
    looked AS (
        SELECT m.ord, m.key, m.id,
               m.id IS NOT NULL AND (v_admin OR m.id IN (SELECT unnest(v_own))) AS exempt
        FROM masked m
    ),
    ordered AS (
        SELECT l.*,
               coalesce(count(*) FILTER (WHERE l.id IS NULL) OVER (ORDER BY l.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS misses_before
        FROM looked l
    ),
    decided AS (
        SELECT o.ord, o.key,
               CASE WHEN o.exempt OR v_room IS NULL THEN CASE WHEN o.id IS NULL THEN 'm' ELSE 'f' END
                    WHEN o.misses_before >= v_room THEN 'r'
                    WHEN o.id IS NULL THEN 'm'
                    ELSE 'f' END AS outcome,
               o.id
        FROM ordered o
    )
    SELECT coalesce(string_agg(d.outcome, '' ORDER BY d.ord), ''),
           coalesce(array_agg(CASE WHEN d.outcome = 'f' THEN d.id ELSE 0 END ORDER BY d.ord), '{}'),
           count(*) FILTER (WHERE d.outcome = 'f'),
           count(*) FILTER (WHERE d.outcome = 'm'),
           count(*) FILTER (WHERE d.outcome = 'r')
      INTO v_outcomes, v_ids, v_found, v_missed, v_refused
      FROM decided d;
    v_counted := CASE WHEN v_admin THEN 0 ELSE v_missed END;

    INSERT INTO id_lookup (recorded_by, session_login, keys, asked_keys, limit_per_hour, exempt, transaction_id)
    VALUES (v_actor, session_user, cardinality(p_keys),
            ARRAY(SELECT vl_mask_id_number(upper(btrim(k))) FROM unnest(p_keys) AS k),
            v_limit, CASE WHEN v_admin THEN 'admin' END, pg_current_xact_id())
    RETURNING id INTO v_id;
    INSERT INTO id_lookup_answer (lookup_id, outcomes, volunteer_ids, found, missed, refused, counted)
    VALUES (v_id, v_outcomes, v_ids, v_found, v_missed, v_refused, v_counted);
    RETURN v_id;
END
$$;

-- Security, volatility and settings as they were before the replacement.
DO $$
DECLARE
    k record;
    setting text;
BEGIN
    FOR k IN SELECT * FROM pg_temp.vl_0123_kept LOOP
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
