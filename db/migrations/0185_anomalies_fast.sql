-- `hours anomalies`, fast (issue 16 §2): a year of a 100,000-volunteer / 3,000,000-entry city in
-- under a second. The report used to read every entry of the year several times (and every hand
-- entry of all years); now each rule reads only the rows that can break it:
--
--   late_recording   the expression index hours_entry_lateness (how long after the service ended
--                    an original was recorded): a range scan above the limit.
--   recorder_volume, recorder_burst
--                    the partial index hours_entry_hand (hand entries only: record, attendance,
--                    correction), in recorder and time order, so the windows need no sort.
--   daily_limit, daily_long
--                    hours_volunteer_day: minutes per volunteer and local day of service start,
--                    not counting rejected entries (as the rule always counted), kept by the
--                    triggers below like the metrics rollup of 0030; days above the lower
--                    threshold are a range scan of hours_volunteer_day_by_minutes.
--   self_approval    hours_self_approval: the approvals decided by the login that recorded the
--                    entry, written when the decision is.
--   auto_checkout    the partial index hours_entry_auto_checkout.
--   checkin_overlap  hours_checkin_by_time: the year's check-ins, in one window pass per
--                    volunteer.
-- Both tables are derived from the ledger and rebuilt from it whenever the ledger is changed in
-- a way that is not an insert (an administrator's UPDATE, DELETE or TRUNCATE) or the city's time
-- zone changes: like the metrics rollup, they cannot drift from it. Neither is audited: every
-- row follows from audited ledger rows, and auditing them would double the trail of every load.
--
-- Settings (absent means the default; validated when set):
--   daily_hours_notice        8   more than this many hours on one local day is flagged at the
--                                 lower severity (daily_long); daily_hours_limit (12, i志愿's
--                                 threshold) stays the high one (daily_limit). Whole hours 1–24.
--   recorder_burst_minutes    10  the sliding window of recorder_burst (whole minutes 1–1440).
--   recorder_burst_volunteers 30  more than this many different volunteers' hand entries by one
--                                 login within the window is a burst (whole number 2–100000).

SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_schema()), true);

-- INDEXES ---------------------------------------------------------------------------------------

CREATE INDEX hours_entry_lateness ON hours_entry (((recorded_at - service_start) - minutes * interval '1 minute'), service_start)
    WHERE corrects_id IS NULL;
CREATE INDEX hours_entry_hand ON hours_entry (recorded_by, recorded_at) INCLUDE (volunteer_id, minutes, service_start)
    WHERE source IN ('record', 'attendance', 'correction');
CREATE INDEX hours_entry_auto_checkout ON hours_entry (service_start) WHERE source = 'auto_checkout';
CREATE INDEX hours_checkin_by_time ON hours_checkin (checked_in_at) INCLUDE (volunteer_id, activity_id);

-- THE DERIVED TABLES ----------------------------------------------------------------------------

CREATE TABLE hours_volunteer_day (
    volunteer_id bigint NOT NULL,
    day          date NOT NULL,
    minutes      bigint NOT NULL,
    PRIMARY KEY (volunteer_id, day)
);
CREATE INDEX hours_volunteer_day_by_minutes ON hours_volunteer_day (minutes, day);

CREATE TABLE hours_self_approval (
    entry_id      bigint PRIMARY KEY,
    service_start timestamptz NOT NULL
);
CREATE INDEX hours_self_approval_by_start ON hours_self_approval (service_start);

SELECT vl_stamp_attach('hours_volunteer_day');
SELECT vl_stamp_attach('hours_self_approval');
REVOKE ALL ON hours_volunteer_day, hours_self_approval FROM PUBLIC, vledger_staff, vledger_organiser, vledger_office, vledger_admin;
GRANT SELECT ON hours_volunteer_day, hours_self_approval TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;

CREATE FUNCTION vl_anomaly_rollup_rebuild() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    tz text := vl_time_zone();
BEGIN
    DELETE FROM hours_volunteer_day;
    INSERT INTO hours_volunteer_day (volunteer_id, day, minutes)
    SELECT e.volunteer_id, (e.service_start AT TIME ZONE tz)::date, sum(e.minutes)
      FROM hours_entry e
     WHERE NOT EXISTS (SELECT 1 FROM hours_decision d WHERE d.entry_id = e.id AND d.decision = 'rejected')
     GROUP BY 1, 2;
    DELETE FROM hours_self_approval;
    INSERT INTO hours_self_approval (entry_id, service_start)
    SELECT e.id, e.service_start
      FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id
     WHERE d.decision = 'approved' AND d.decided_by = e.recorded_by;
END
$$;

CREATE FUNCTION vl_anomaly_rollup_rebuild_trigger() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    PERFORM vl_anomaly_rollup_rebuild();
    RETURN NULL;
END
$$;

-- Sorted, so concurrent writers lock shared rows in the same order (as 0030's rollup).
CREATE FUNCTION vl_anomaly_entries_added() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    tz text := vl_time_zone();
BEGIN
    INSERT INTO hours_volunteer_day AS h (volunteer_id, day, minutes)
    SELECT n.volunteer_id, (n.service_start AT TIME ZONE tz)::date, sum(n.minutes)
      FROM new_entries n
     GROUP BY 1, 2
     ORDER BY 1, 2
    ON CONFLICT (volunteer_id, day) DO UPDATE SET minutes = h.minutes + EXCLUDED.minutes;
    RETURN NULL;
END
$$;

CREATE FUNCTION vl_anomaly_decisions_added() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    tz text := vl_time_zone();
BEGIN
    WITH rejected AS MATERIALIZED (
        SELECT e.volunteer_id, (e.service_start AT TIME ZONE tz)::date AS day, sum(e.minutes) AS minutes
          FROM new_decisions d JOIN hours_entry e ON e.id = d.entry_id
         WHERE d.decision = 'rejected'
         GROUP BY 1, 2)
    UPDATE hours_volunteer_day h SET minutes = h.minutes - r.minutes
      FROM (SELECT * FROM rejected ORDER BY volunteer_id, day) r
     WHERE h.volunteer_id = r.volunteer_id AND h.day = r.day;
    INSERT INTO hours_self_approval (entry_id, service_start)
    SELECT e.id, e.service_start
      FROM new_decisions d JOIN hours_entry e ON e.id = d.entry_id
     WHERE d.decision = 'approved' AND d.decided_by = e.recorded_by
    ON CONFLICT (entry_id) DO NOTHING;
    RETURN NULL;
END
$$;
-- The ledger's inserts come in millions during a load: one index lookup a row, never a scan.
ALTER FUNCTION vl_anomaly_decisions_added() SET enable_seqscan = off;
ALTER FUNCTION vl_anomaly_decisions_added() SET jit = off;
ALTER FUNCTION vl_anomaly_entries_added() SET jit = off;

CREATE TRIGGER anomaly_rollup_entries AFTER INSERT ON hours_entry
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION vl_anomaly_entries_added();
CREATE TRIGGER anomaly_rollup_decisions AFTER INSERT ON hours_decision
    REFERENCING NEW TABLE AS new_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION vl_anomaly_decisions_added();
CREATE TRIGGER anomaly_rollup_entry_changed AFTER UPDATE OR DELETE OR TRUNCATE ON hours_entry
    FOR EACH STATEMENT EXECUTE FUNCTION vl_anomaly_rollup_rebuild_trigger();
CREATE TRIGGER anomaly_rollup_decision_changed AFTER UPDATE OR DELETE OR TRUNCATE ON hours_decision
    FOR EACH STATEMENT EXECUTE FUNCTION vl_anomaly_rollup_rebuild_trigger();
CREATE TRIGGER anomaly_rollup_time_zone_set AFTER INSERT ON setting
    FOR EACH ROW WHEN (NEW.name = 'time_zone') EXECUTE FUNCTION vl_anomaly_rollup_rebuild_trigger();
CREATE TRIGGER anomaly_rollup_time_zone_changed AFTER UPDATE ON setting
    FOR EACH ROW WHEN (OLD.name = 'time_zone' OR NEW.name = 'time_zone') EXECUTE FUNCTION vl_anomaly_rollup_rebuild_trigger();
CREATE TRIGGER anomaly_rollup_time_zone_removed AFTER DELETE ON setting
    FOR EACH ROW WHEN (OLD.name = 'time_zone') EXECUTE FUNCTION vl_anomaly_rollup_rebuild_trigger();
CREATE TRIGGER anomaly_rollup_settings_truncated AFTER TRUNCATE ON setting
    FOR EACH STATEMENT EXECUTE FUNCTION vl_anomaly_rollup_rebuild_trigger();

SELECT vl_anomaly_rollup_rebuild();
ANALYZE hours_volunteer_day;
ANALYZE hours_self_approval;

-- THE SETTINGS ----------------------------------------------------------------------------------

CREATE FUNCTION vl_setting_anomaly_valid() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    shown text := left(NEW.value, 60);
BEGIN
    CASE NEW.name
    WHEN 'daily_hours_notice' THEN
        IF (CASE WHEN NEW.value ~ '^[0-9]{1,2}$' THEN NEW.value::int NOT BETWEEN 1 AND 24 ELSE true END) THEN
            PERFORM vl_raise('setting_daily_hours_notice_valid', 'daily_hours_notice', shown, 'must be a whole number of hours from 1 to 24');
        END IF;
    WHEN 'recorder_burst_minutes' THEN
        IF (CASE WHEN NEW.value ~ '^[0-9]{1,4}$' THEN NEW.value::int NOT BETWEEN 1 AND 1440 ELSE true END) THEN
            PERFORM vl_raise('setting_recorder_burst_minutes_valid', 'recorder_burst_minutes', shown, 'must be a whole number of minutes from 1 to 1440');
        END IF;
    WHEN 'recorder_burst_volunteers' THEN
        IF (CASE WHEN NEW.value ~ '^[0-9]{1,6}$' THEN NEW.value::int NOT BETWEEN 2 AND 100000 ELSE true END) THEN
            PERFORM vl_raise('setting_recorder_burst_volunteers_valid', 'recorder_burst_volunteers', shown, 'must be a whole number of volunteers from 2 to 100000');
        END IF;
    ELSE
        NULL;
    END CASE;
    RETURN NEW;
END
$$;
CREATE TRIGGER setting_anomaly_valid BEFORE INSERT OR UPDATE OF name, value ON setting
    FOR EACH ROW WHEN (NEW.name IN ('daily_hours_notice', 'recorder_burst_minutes', 'recorder_burst_volunteers'))
    EXECUTE FUNCTION vl_setting_anomaly_valid();

REVOKE ALL ON FUNCTION vl_anomaly_rollup_rebuild() FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_anomaly_rollup_rebuild_trigger() FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_anomaly_entries_added() FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_anomaly_decisions_added() FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_setting_anomaly_valid() FROM PUBLIC;

SELECT count(*) AS pinned FROM vl_pin_search_path();
