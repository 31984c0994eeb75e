-- Provenance of every hours entry (issue 16 §1), decided by the database when the entry is
-- written and stored with it, so that a replay (`--as-recorded-at`) and later edits of the
-- calendar (0160) never change what a past entry was:
--
--   clock    the check-in path (vl_check_out, the check-outs closing forces, a self check-in by
--            code): source checkout/auto_checkout, request id "checkin:N" of check-in N of the same
--            volunteer, activity and start, whose times are the server's clock: the check-in was
--            written at most 5 minutes after the time it holds (a tap with an --at in the past is
--            not), and the service ends at most 6 minutes before the entry is written (a whole
--            minute less than the check-out) or at the activity's end (capped, or closed for the
--            volunteer after it ended).
--   entered  recorded by a person within 10 working days after the activity ended
--            (vl_working_days_between(end's local date, recorded_at's local date) <= 10; 第十一条).
--   late     recorded later (补录). It counts only once the office, an admin or the database owner
--            approved it: an organiser's approval is refused (late_needs_office).
-- The record time is recorded_at: the clock's for every login, the original time for the owner's
-- historic loads (0070), which are therefore late unless within the window.
--
-- CORRECTIONS. A correction that takes minutes away (delta < 0) keeps the provenance of the entry
-- it corrects: it removes minutes from what was counted there, and needs no more than that entry
-- needed. One that adds minutes is late when recorded after the window, otherwise entered (minutes
-- a person adds were not witnessed by the clock; an addition to a late entry stays late).
--
-- Rows written before this migration get their provenance from the same function here, with the
-- calendar as seeded; the audit trail's images of them predate the column (vl_audit_verify_rows
-- compares the columns an image has), so the backfill runs with the table's own triggers off.

SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_schema()), true);

ALTER TABLE hours_entry ADD COLUMN provenance text
    CONSTRAINT hours_entry_provenance_known CHECK (provenance IN ('clock', 'entered', 'late'));

-- Whether an entry recorded at p_recorded_at on an activity that ended at p_ends_at is within the
-- 10 working days. Times are compared first: 9 days after the end are within 10 calendar days in
-- any zone, so the common case reads no calendar.
CREATE FUNCTION vl_recorded_in_time(p_ends_at timestamptz, p_recorded_at timestamptz) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    tz text;
BEGIN
    IF p_recorded_at < p_ends_at + interval '9 days' THEN
        RETURN true;
    END IF;
    tz := vl_time_zone();
    RETURN vl_working_days_between((p_ends_at AT TIME ZONE tz)::date, (p_recorded_at AT TIME ZONE tz)::date) <= 10;
END
$$;

-- The provenance of an entry about to be written (or, for the backfill, written).
CREATE FUNCTION vl_hours_provenance(p_source text, p_request_id text, p_volunteer bigint, p_activity bigint,
                                    p_service_start timestamptz, p_minutes int, p_corrects bigint,
                                    p_recorded_at timestamptz) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    v_end timestamptz := p_service_start + p_minutes * interval '1 minute';
    v_ends_at timestamptz;
    v_original text;
    c record;
BEGIN
    IF p_corrects IS NOT NULL THEN
        SELECT e.provenance INTO v_original FROM hours_entry e WHERE e.id = p_corrects;
        IF p_minutes < 0 THEN
            RETURN coalesce(v_original, 'entered');
        END IF;
        SELECT a.ends_at INTO v_ends_at FROM activity a WHERE a.id = p_activity;
        IF v_original = 'late' OR NOT vl_recorded_in_time(v_ends_at, p_recorded_at) THEN
            RETURN 'late';
        END IF;
        RETURN 'entered';
    END IF;
    IF p_source IN ('checkout', 'auto_checkout') AND p_request_id ~ '^checkin:[0-9]{1,18}$' THEN
        SELECT k.checked_in_at, k.recorded_at, a.ends_at INTO c
          FROM hours_checkin k JOIN activity a ON a.id = k.activity_id
         WHERE k.id = substr(p_request_id, 9)::bigint AND k.volunteer_id = p_volunteer AND k.activity_id = p_activity
           AND k.checked_in_at = p_service_start;
        IF FOUND AND c.checked_in_at >= c.recorded_at - interval '5 minutes'
           AND (v_end >= p_recorded_at - interval '6 minutes' OR v_end = c.ends_at) THEN
            RETURN 'clock';
        END IF;
    END IF;
    -- A person's entry made well within the window needs no lookup (service ends before the
    -- activity does).
    IF p_recorded_at < v_end + interval '9 days' THEN
        RETURN 'entered';
    END IF;
    SELECT a.ends_at INTO v_ends_at FROM activity a WHERE a.id = p_activity;
    RETURN CASE WHEN vl_recorded_in_time(v_ends_at, p_recorded_at) THEN 'entered' ELSE 'late' END;
END
$$;
REVOKE ALL ON FUNCTION vl_hours_provenance(text, text, bigint, bigint, timestamptz, int, bigint, timestamptz) FROM PUBLIC;
-- Called by the insert trigger with the writer's rights.
GRANT EXECUTE ON FUNCTION vl_hours_provenance(text, text, bigint, bigint, timestamptz, int, bigint, timestamptz)
    TO vledger_staff, vledger_organiser, vledger_office, vledger_admin, vledger_service;

-- Set on every insert, whatever the client sent: fires after _vl_stamp (names sort), so
-- recorded_at is final. The common case of a bulk load (a person's entry recorded within days of
-- the service) is decided here without the function call.
CREATE FUNCTION vl_hours_entry_provenance() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.corrects_id IS NULL AND NEW.source NOT IN ('checkout', 'auto_checkout')
       AND NEW.recorded_at < NEW.service_start + NEW.minutes * interval '1 minute' + interval '9 days' THEN
        NEW.provenance := 'entered';
        RETURN NEW;
    END IF;
    NEW.provenance := vl_hours_provenance(NEW.source, NEW.request_id, NEW.volunteer_id, NEW.activity_id,
                                          NEW.service_start, NEW.minutes, NEW.corrects_id, NEW.recorded_at);
    RETURN NEW;
END
$$;

-- Backfill (see above), then the column is required.
ALTER TABLE hours_entry DISABLE TRIGGER USER;
UPDATE hours_entry e
   SET provenance = vl_hours_provenance(e.source, e.request_id, e.volunteer_id, e.activity_id, e.service_start, e.minutes, NULL, e.recorded_at)
 WHERE e.corrects_id IS NULL;
UPDATE hours_entry e
   SET provenance = vl_hours_provenance(e.source, e.request_id, e.volunteer_id, e.activity_id, e.service_start, e.minutes, e.corrects_id, e.recorded_at)
 WHERE e.corrects_id IS NOT NULL;
ALTER TABLE hours_entry ENABLE TRIGGER USER;
ALTER TABLE hours_entry ALTER COLUMN provenance SET NOT NULL;

CREATE TRIGGER hours_entry_provenance BEFORE INSERT ON hours_entry
    FOR EACH ROW EXECUTE FUNCTION vl_hours_entry_provenance();
CREATE INDEX hours_entry_late ON hours_entry (id) WHERE provenance = 'late';

-- The function the anomalies report reads: whether entry p_entry was recorded late (补录).
CREATE FUNCTION vl_hours_entry_is_late(p_entry bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT provenance = 'late' FROM hours_entry WHERE id = p_entry $$;
REVOKE ALL ON FUNCTION vl_hours_entry_is_late(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_hours_entry_is_late(bigint) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;

-- Who may approve a late entry: the office, an admin, or the owner writing as itself (a historic
-- load names its reviewers in decided_by; the owner acting as a person is that person).
CREATE FUNCTION vl_may_approve_late(p_decided_by text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT (pg_has_role(session_user, current_user, 'MEMBER') AND current_setting('role') IN ('none', session_user::text))
        OR (EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p_decided_by)
            AND (pg_has_role(p_decided_by, 'vledger_office', 'MEMBER') OR pg_has_role(p_decided_by, 'vledger_admin', 'MEMBER')))
$$;
REVOKE ALL ON FUNCTION vl_may_approve_late(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_may_approve_late(text) TO vledger_organiser, vledger_office, vledger_admin;

-- After each statement of decisions: one check per decider, and the late entries among the
-- approved ones only when a decider may not approve them (an index of late entries).
CREATE FUNCTION vl_hours_decision_late() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v_decider text;
    v_entry bigint;
BEGIN
    FOR v_decider IN SELECT DISTINCT d.decided_by FROM vl_late_decisions d WHERE d.decision = 'approved' LOOP
        CONTINUE WHEN vl_may_approve_late(v_decider);
        SELECT d.entry_id INTO v_entry
          FROM vl_late_decisions d
         WHERE d.decided_by = v_decider AND d.decision = 'approved'
           AND EXISTS (SELECT 1 FROM hours_entry e WHERE e.id = d.entry_id AND e.provenance = 'late')
         ORDER BY d.entry_id
         LIMIT 1;
        IF FOUND THEN
            PERFORM vl_raise('late_needs_office', 'entry', v_entry::text,
                'recorded late (补录: more than 10 working days after the activity ended); only the office, an admin or the database owner approves it',
                jsonb_build_object('entry', v_entry::text));
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER hours_decision_late AFTER INSERT ON hours_decision
    REFERENCING NEW TABLE AS vl_late_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION vl_hours_decision_late();

-- The office decides late entries (and only those): the second look the rule asks for.
CREATE FUNCTION vl_check_office_decides_late(p_entry bigint, p_decided_by text, p_login text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    v_provenance text;
    v_recorded_by text;
BEGIN
    PERFORM vl_check_recorded_by('decided_by', p_decided_by, p_login);
    SELECT provenance, recorded_by INTO v_provenance, v_recorded_by FROM hours_entry WHERE id = p_entry;
    IF NOT FOUND THEN
        RETURN true;  -- the foreign key names the missing entry
    END IF;
    IF v_provenance <> 'late' THEN
        PERFORM vl_raise('late_office_decides_late', 'entry', p_entry::text,
            'not a late entry; the activity''s organisers decide it', jsonb_build_object('entry', p_entry::text), 'insufficient_privilege');
    END IF;
    IF v_recorded_by = p_login THEN
        PERFORM vl_raise('hours_decision_not_self_approved', 'entry', p_entry::text,
            'you recorded it yourself, so another organiser or an admin must approve it', jsonb_build_object('entry', p_entry::text));
    END IF;
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION vl_check_office_decides_late(bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_check_office_decides_late(bigint, text, text) TO vledger_office;
GRANT INSERT ON hours_decision TO vledger_office;
CREATE POLICY office_decide_late ON hours_decision FOR INSERT TO vledger_office
    WITH CHECK (vl_check_office_decides_late(entry_id, decided_by, current_user));

-- Approved minutes by provenance, per volunteer and local year and month: kept like the rollups
-- of 0030/0046 (an approval adds; a change that should never happen rebuilds), read by the
-- metrics' `minutes_by_provenance` wherever the plain rollups are read.
CREATE TABLE metrics_provenance_month (
    volunteer_id bigint NOT NULL,
    year         int NOT NULL,
    month        int NOT NULL,
    clock        bigint NOT NULL,
    entered      bigint NOT NULL,
    late         bigint NOT NULL,
    PRIMARY KEY (year, month, volunteer_id)
);
CREATE TABLE metrics_provenance_year (
    volunteer_id bigint NOT NULL,
    year         int NOT NULL,
    clock        bigint NOT NULL,
    entered      bigint NOT NULL,
    late         bigint NOT NULL,
    PRIMARY KEY (year, volunteer_id)
);

CREATE FUNCTION vl_metrics_provenance_add() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    tz text := vl_time_zone();
BEGIN
    WITH added AS MATERIALIZED (
        SELECT e.volunteer_id, extract(year FROM e.service_start AT TIME ZONE tz)::int AS year,
               extract(month FROM e.service_start AT TIME ZONE tz)::int AS month,
               coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'clock'), 0) AS clock,
               coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'entered'), 0) AS entered,
               coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'late'), 0) AS late
          FROM vl_provenance_decisions d
          JOIN hours_entry e ON e.id = d.entry_id
         WHERE d.decision = 'approved'
         GROUP BY 1, 2, 3),
    months AS (
        INSERT INTO metrics_provenance_month AS m (volunteer_id, year, month, clock, entered, late)
        SELECT volunteer_id, year, month, clock, entered, late FROM added ORDER BY year, month, volunteer_id
        ON CONFLICT (year, month, volunteer_id) DO UPDATE
           SET clock = m.clock + EXCLUDED.clock, entered = m.entered + EXCLUDED.entered, late = m.late + EXCLUDED.late)
    INSERT INTO metrics_provenance_year AS y (volunteer_id, year, clock, entered, late)
    SELECT volunteer_id, year, sum(clock), sum(entered), sum(late) FROM added GROUP BY 1, 2 ORDER BY 2, 1
    ON CONFLICT (year, volunteer_id) DO UPDATE
       SET clock = y.clock + EXCLUDED.clock, entered = y.entered + EXCLUDED.entered, late = y.late + EXCLUDED.late;
    RETURN NULL;
END
$$;

CREATE FUNCTION vl_metrics_provenance_rebuild() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    tz text := vl_time_zone();
BEGIN
    DELETE FROM metrics_provenance_month;
    INSERT INTO metrics_provenance_month (volunteer_id, year, month, clock, entered, late)
    SELECT e.volunteer_id, extract(year FROM e.service_start AT TIME ZONE tz)::int, extract(month FROM e.service_start AT TIME ZONE tz)::int,
           coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'clock'), 0),
           coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'entered'), 0),
           coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'late'), 0)
      FROM hours_entry e
      JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
     GROUP BY 1, 2, 3;
    DELETE FROM metrics_provenance_year;
    INSERT INTO metrics_provenance_year (volunteer_id, year, clock, entered, late)
    SELECT volunteer_id, year, sum(clock), sum(entered), sum(late) FROM metrics_provenance_month GROUP BY 1, 2;
END
$$;
REVOKE ALL ON FUNCTION vl_metrics_provenance_rebuild() FROM PUBLIC;

CREATE FUNCTION vl_metrics_provenance_rebuild_trigger() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    PERFORM vl_metrics_provenance_rebuild();
    RETURN NULL;
END
$$;

CREATE TRIGGER metrics_provenance_add AFTER INSERT ON hours_decision
    REFERENCING NEW TABLE AS vl_provenance_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION vl_metrics_provenance_add();
CREATE TRIGGER metrics_provenance_decision_changed AFTER UPDATE OR DELETE OR TRUNCATE ON hours_decision
    FOR EACH STATEMENT EXECUTE FUNCTION vl_metrics_provenance_rebuild_trigger();
CREATE TRIGGER metrics_provenance_entry_changed AFTER UPDATE OR DELETE OR TRUNCATE ON hours_entry
    FOR EACH STATEMENT EXECUTE FUNCTION vl_metrics_provenance_rebuild_trigger();
CREATE TRIGGER metrics_provenance_time_zone AFTER INSERT OR UPDATE ON setting
    FOR EACH ROW WHEN (NEW.name = 'time_zone') EXECUTE FUNCTION vl_metrics_provenance_rebuild_trigger();

-- Derived tables, read like the plain rollups (0061/0072): no role writes them.
SELECT vl_security_attach(t), vl_stamp_attach(t) FROM unnest(ARRAY['metrics_provenance_month', 'metrics_provenance_year']::regclass[]) t;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON metrics_provenance_month, metrics_provenance_year FROM vledger_admin;
GRANT SELECT ON metrics_provenance_month, metrics_provenance_year TO vledger_office, vledger_organiser;

SELECT vl_metrics_provenance_rebuild();
