-- The hours ledger's rules (SPEC.md "Rules every write keeps", issue #4), held by the database so
-- that no path around vledger (psql, a back end, a future HTTP API) can inflate hours quietly.
-- Every check is an index lookup: a bulk import pays them per row.
-- Errors: SQLSTATE check_violation with a constraint name the services match on, and a message
-- starting "vledger: " that is shown to the user as it is.

INSERT INTO setting (name, value) VALUES
    -- Recorded more than this many days after the service ended: listed by `hours anomalies`.
    ('late_recording_days', '30'),
    -- One recorder entering more than this many entries by hand within one hour: listed too.
    ('recorder_hourly_entries_limit', '120')
ON CONFLICT (name) DO NOTHING;

-- The city-local calendar day of an instant: registration and deregistration are dated in it.
CREATE FUNCTION vl_local_date(ts timestamptz) RETURNS date
    LANGUAGE sql STABLE
    AS $$ SELECT (ts AT TIME ZONE vl_time_zone())::date $$;

-- ISO 8601 text of an instant in the city's time zone, with its offset: 2019-12-31T23:30:00+08:00.
CREATE FUNCTION vl_local_text(ts timestamptz) RETURNS text
    LANGUAGE sql STABLE
    AS $$
SELECT to_char(local, 'YYYY-MM-DD"T"HH24:MI:SS')
       || CASE WHEN offs < interval '0' THEN '-' ELSE '+' END
       || to_char(abs(extract(epoch FROM offs))::int / 3600, 'FM00') || ':'
       || to_char(abs(extract(epoch FROM offs))::int / 60 % 60, 'FM00')
FROM (SELECT ts AT TIME ZONE vl_time_zone() AS local,
             (ts AT TIME ZONE vl_time_zone()) - (ts AT TIME ZONE 'UTC') AS offs) t
$$;

CREATE FUNCTION vl_rule(p_constraint text, p_message text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = p_constraint, MESSAGE = 'vledger: ' || p_message;
END
$$;

-- Whether a volunteer may be credited with service on a local day: registered on or before it
-- and not deregistered on or before it. Raises the rule it breaks.
CREATE FUNCTION vl_check_volunteer_serving(p_volunteer bigint, p_day date) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    v record;
    gone date;
BEGIN
    SELECT number, registered_on INTO v FROM volunteer WHERE id = p_volunteer;
    IF NOT FOUND THEN
        PERFORM vl_rule('hours_volunteer_exists', format('volunteer "%s": no such volunteer', p_volunteer));
    END IF;
    IF v.registered_on > p_day THEN
        PERFORM vl_rule('hours_volunteer_registered',
            format('volunteer "%s": not registered on the service date %s (registered on %s)', v.number, p_day, v.registered_on));
    END IF;
    SELECT effective_on INTO gone FROM volunteer_deregistration WHERE volunteer_id = p_volunteer AND effective_on <= p_day;
    IF FOUND THEN
        PERFORM vl_rule('hours_volunteer_deregistered',
            format('volunteer "%s": deregistered on %s, before or on the service date %s', v.number, gone, p_day));
    END IF;
END
$$;

CREATE FUNCTION vl_hours_entry_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    vol record;
    act record;
    orig record;
    service_day date;
    gone date;
    tz text;
    prior record;
    service_end timestamptz;
    entry_net bigint;
    net bigint;
BEGIN
    -- Serialises writers for one volunteer: the checks below read the volunteer's entries and
    -- must not race another transaction adding to them.
    SELECT number, registered_on INTO vol FROM volunteer WHERE id = NEW.volunteer_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM vl_rule('hours_volunteer_exists', format('volunteer "%s": no such volunteer', NEW.volunteer_id));
    END IF;
    -- A retried request: the unique constraint (or ON CONFLICT) answers, not the rules below,
    -- which would see the first entry and call the retry an overlap.
    IF NEW.request_id IS NOT NULL AND EXISTS (SELECT 1 FROM hours_entry WHERE request_id = NEW.request_id) THEN
        RETURN NEW;
    END IF;
    SELECT id, starts_at, ends_at, length_minutes, closed_at INTO act FROM activity WHERE id = NEW.activity_id;
    IF NOT FOUND THEN
        PERFORM vl_rule('hours_activity_exists', format('activity "%s": no such activity', NEW.activity_id));
    END IF;

    IF NEW.corrects_id IS NOT NULL THEN
        IF NEW.source <> 'correction' THEN
            PERFORM vl_rule('hours_correction_source', format('source "%s": an entry that corrects another has source correction', NEW.source));
        END IF;
        SELECT e.id, e.volunteer_id, e.activity_id, e.service_start, e.minutes, e.corrects_id, d.decision
          INTO orig
          FROM hours_entry e LEFT JOIN hours_decision d ON d.entry_id = e.id
         WHERE e.id = NEW.corrects_id;
        IF NOT FOUND THEN
            PERFORM vl_rule('hours_correction_target', format('entry "%s": no such entry', NEW.corrects_id));
        END IF;
        IF orig.corrects_id IS NOT NULL THEN
            PERFORM vl_rule('hours_correction_target',
                format('entry "%s": is itself a correction; a correction points at the original entry %s', orig.id, orig.corrects_id));
        END IF;
        IF orig.volunteer_id <> NEW.volunteer_id OR orig.activity_id <> NEW.activity_id OR orig.service_start <> NEW.service_start THEN
            PERFORM vl_rule('hours_correction_copy',
                format('entry "%s": a correction keeps the volunteer, activity and service start of the entry it corrects', orig.id));
        END IF;
        IF orig.decision = 'rejected' THEN
            PERFORM vl_rule('hours_correction_target', format('entry "%s": rejected; a rejected entry cannot be corrected', orig.id));
        END IF;
        SELECT orig.minutes + coalesce(sum(y.minutes), 0) INTO entry_net
          FROM (SELECT c.minutes FROM hours_entry c
                 WHERE c.corrects_id = orig.id
                   AND NOT EXISTS (SELECT 1 FROM hours_decision d WHERE d.entry_id = c.id AND d.decision = 'rejected')
                 ORDER BY c.corrects_id) y;
        IF entry_net + NEW.minutes < 0 THEN
            PERFORM vl_rule('hours_net_range',
                format('delta_minutes "%s": would take entry %s below zero (it stands at %s minutes with pending corrections)',
                       NEW.minutes, orig.id, entry_net));
        END IF;
        IF NEW.service_start + (entry_net + NEW.minutes) * interval '1 minute' > act.ends_at THEN
            PERFORM vl_rule('hours_net_range',
                format('delta_minutes "%s": entry %s would run past the end of activity %s (%s minutes would end after %s)',
                       NEW.minutes, orig.id, act.id, entry_net + NEW.minutes, vl_local_text(act.ends_at)));
        END IF;
    ELSE
        IF NEW.source = 'correction' THEN
            PERFORM vl_rule('hours_correction_source', 'source "correction": a correction names the entry it corrects');
        END IF;
        -- A closed activity takes no new hours; the check-outs its closing forces are the exception.
        IF act.closed_at IS NOT NULL AND NEW.source <> 'auto_checkout' THEN
            PERFORM vl_rule('hours_activity_open',
                format('activity "%s": closed at %s; only corrections can be recorded on it', act.id, vl_local_text(act.closed_at)));
        END IF;
        service_end := NEW.service_start + NEW.minutes * interval '1 minute';
        IF NEW.service_start < act.starts_at OR service_end > act.ends_at THEN
            PERFORM vl_rule('hours_inside_activity',
                format('start "%s": %s minutes from then lie outside activity %s (%s to %s)',
                       vl_local_text(NEW.service_start), NEW.minutes, act.id, vl_local_text(act.starts_at), vl_local_text(act.ends_at)));
        END IF;
        IF service_end > now() THEN
            PERFORM vl_rule('hours_not_future',
                format('start "%s": service of %s minutes would end in the future', vl_local_text(NEW.service_start), NEW.minutes));
        END IF;
        -- Read directly (a cached index lookup) rather than through vl_time_zone(), which as a SQL
        -- function would be planned again for every row of an import.
        SELECT value INTO tz FROM setting WHERE name = 'time_zone';
        service_day := (NEW.service_start AT TIME ZONE coalesce(tz, 'Asia/Shanghai'))::date;
        IF vol.registered_on > service_day THEN
            PERFORM vl_rule('hours_volunteer_registered',
                format('volunteer "%s": not registered on the service date %s (registered on %s)', vol.number, service_day, vol.registered_on));
        END IF;
        SELECT effective_on INTO gone FROM volunteer_deregistration WHERE volunteer_id = NEW.volunteer_id AND effective_on <= service_day;
        IF FOUND THEN
            PERFORM vl_rule('hours_volunteer_deregistered',
                format('volunteer "%s": deregistered on %s, before or on the service date %s', vol.number, gone, service_day));
        END IF;
        -- Non-rejected originals of one volunteer never overlap, so among those starting before
        -- this one ends, the latest is the only one that can reach into it.
        SELECT e.id, e.service_start, e.minutes INTO prior
          FROM hours_entry e
         WHERE e.volunteer_id = NEW.volunteer_id AND e.service_start < service_end AND e.corrects_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM hours_decision d WHERE d.entry_id = e.id AND d.decision = 'rejected')
         ORDER BY e.service_start DESC
         LIMIT 1;
        IF FOUND AND prior.service_start + prior.minutes * interval '1 minute' > NEW.service_start THEN
            PERFORM vl_rule('hours_no_overlap',
                format('start "%s": volunteer %s already has entry %s from %s for %s minutes; service intervals cannot overlap',
                       vl_local_text(NEW.service_start), vol.number, prior.id, vl_local_text(prior.service_start), prior.minutes));
        END IF;
    END IF;

    -- The ORDER BY makes the (volunteer_id, service_start) index the plan whatever the
    -- statistics say (an empty, analysed ledger otherwise gets a scan of every row).
    SELECT coalesce(sum(x.minutes), 0) + NEW.minutes INTO net
      FROM (SELECT e.minutes FROM hours_entry e
             WHERE e.volunteer_id = NEW.volunteer_id AND e.service_start >= act.starts_at AND e.service_start <= act.ends_at
               AND e.activity_id = NEW.activity_id
               AND NOT EXISTS (SELECT 1 FROM hours_decision d WHERE d.entry_id = e.id AND d.decision = 'rejected')
             ORDER BY e.volunteer_id, e.service_start) x;
    IF net > act.length_minutes OR net < 0 THEN
        PERFORM vl_rule('hours_net_range',
            format('minutes "%s": volunteer %s would stand at %s minutes on activity %s, outside 0 to its length %s (pending entries counted)',
                   NEW.minutes, vol.number, net, act.id, act.length_minutes));
    END IF;
    RETURN NEW;
END
$$;

-- The ledger may be empty (and analysed so) when a large import starts: a plan cached then
-- would scan the table for every row, and the import would take quadratic time. These checks
-- are meant as index lookups; the planner is told so.
ALTER FUNCTION vl_hours_entry_rules() SET enable_seqscan = off;

CREATE TRIGGER hours_entry_rules BEFORE INSERT ON hours_entry
    FOR EACH ROW EXECUTE FUNCTION vl_hours_entry_rules();

CREATE FUNCTION vl_hours_decision_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    e record;
    act record;
    orig_decision text;
    entry_net bigint;
    net bigint;
BEGIN
    SELECT id, volunteer_id, activity_id, minutes, corrects_id INTO e FROM hours_entry WHERE id = NEW.entry_id;
    IF NOT FOUND THEN
        PERFORM vl_rule('hours_decision_entry', format('entry "%s": no such entry', NEW.entry_id));
    END IF;
    -- Same lock as the entry trigger: approvals and new entries of one volunteer take turns.
    PERFORM 1 FROM volunteer WHERE id = e.volunteer_id FOR UPDATE;
    IF NEW.decision <> 'approved' THEN
        RETURN NEW;
    END IF;
    SELECT id, starts_at, ends_at, length_minutes INTO act FROM activity WHERE id = e.activity_id;
    IF e.corrects_id IS NOT NULL THEN
        SELECT decision INTO orig_decision FROM hours_decision WHERE entry_id = e.corrects_id;
        IF orig_decision IS DISTINCT FROM 'approved' THEN
            PERFORM vl_rule('hours_decision_order',
                format('entry "%s": corrects entry %s, which is %s; approve the original first', e.id, e.corrects_id, coalesce(orig_decision, 'pending')));
        END IF;
        SELECT o.minutes + coalesce((SELECT sum(c.minutes) FROM hours_entry c
                                      WHERE c.corrects_id = o.id
                                        AND (SELECT d.decision FROM hours_decision d WHERE d.entry_id = c.id) = 'approved'), 0)
          INTO entry_net FROM hours_entry o WHERE o.id = e.corrects_id;
        IF entry_net + e.minutes < 0 THEN
            PERFORM vl_rule('hours_net_range',
                format('entry "%s": approving it would take entry %s below zero (%s approved minutes)', e.id, e.corrects_id, entry_net));
        END IF;
    END IF;
    SELECT coalesce(sum(y.minutes), 0) + e.minutes INTO net
      FROM (SELECT x.minutes FROM hours_entry x
             WHERE x.volunteer_id = e.volunteer_id AND x.service_start >= act.starts_at AND x.service_start <= act.ends_at
               AND x.activity_id = e.activity_id
               -- A scalar subquery, not a join: it stays one primary-key probe per entry. As a join,
               -- a plan made while hours_decision was small scanned every approval (quadratic bulk loads).
               AND (SELECT d.decision FROM hours_decision d WHERE d.entry_id = x.id) = 'approved'
             ORDER BY x.volunteer_id, x.service_start) y;
    IF net > act.length_minutes OR net < 0 THEN
        PERFORM vl_rule('hours_net_range',
            format('entry "%s": approving it would make the approved net %s minutes on activity %s, outside 0 to its length %s',
                   e.id, net, act.id, act.length_minutes));
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION vl_hours_decision_rules() SET enable_seqscan = off;

CREATE TRIGGER hours_decision_rules BEFORE INSERT ON hours_decision
    FOR EACH ROW EXECUTE FUNCTION vl_hours_decision_rules();

-- Rejecting an original rejects its pending corrections with it: they would otherwise correct
-- minutes that never count.
CREATE FUNCTION vl_hours_decision_cascade() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.decision = 'rejected' THEN
        INSERT INTO hours_decision (entry_id, decision, reason)
        SELECT c.id, 'rejected', format('original entry %s rejected', NEW.entry_id)
          FROM hours_entry c
         WHERE c.corrects_id = NEW.entry_id
           AND NOT EXISTS (SELECT 1 FROM hours_decision d WHERE d.entry_id = c.id);
    END IF;
    RETURN NULL;
END
$$;

ALTER FUNCTION vl_hours_decision_cascade() SET enable_seqscan = off;

CREATE TRIGGER hours_decision_cascade AFTER INSERT ON hours_decision
    FOR EACH ROW EXECUTE FUNCTION vl_hours_decision_cascade();

-- Append-only for real: not even the owner's psql session changes or removes ledger rows.
CREATE FUNCTION vl_refuse_ledger_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'raise_exception',
        MESSAGE = format('vledger: %s: the ledger is append-only; rows are never %s (record a correction or a decision instead)',
                         TG_TABLE_NAME, CASE TG_OP WHEN 'UPDATE' THEN 'updated' WHEN 'DELETE' THEN 'deleted' ELSE 'truncated' END);
END
$$;

CREATE TRIGGER hours_entry_append_only BEFORE UPDATE OR DELETE ON hours_entry
    FOR EACH ROW EXECUTE FUNCTION vl_refuse_ledger_change();
CREATE TRIGGER hours_entry_no_truncate BEFORE TRUNCATE ON hours_entry
    FOR EACH STATEMENT EXECUTE FUNCTION vl_refuse_ledger_change();
CREATE TRIGGER hours_decision_append_only BEFORE UPDATE OR DELETE ON hours_decision
    FOR EACH ROW EXECUTE FUNCTION vl_refuse_ledger_change();
CREATE TRIGGER hours_decision_no_truncate BEFORE TRUNCATE ON hours_decision
    FOR EACH STATEMENT EXECUTE FUNCTION vl_refuse_ledger_change();

-- An activity's times are what its hours were checked against: fixed once it has entries.
-- Closing is final.
CREATE FUNCTION vl_activity_change_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF OLD.closed_at IS NOT NULL AND NEW.closed_at IS DISTINCT FROM OLD.closed_at THEN
        PERFORM vl_rule('activity_closed_final', format('activity "%s": closed; it cannot be reopened', OLD.id));
    END IF;
    IF (NEW.starts_at <> OLD.starts_at OR NEW.ends_at <> OLD.ends_at)
       AND EXISTS (SELECT 1 FROM hours_entry WHERE activity_id = OLD.id) THEN
        PERFORM vl_rule('activity_times_fixed', format('activity "%s": has hours entries; its start and end cannot change', OLD.id));
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER activity_change_rules BEFORE UPDATE ON activity
    FOR EACH ROW EXECUTE FUNCTION vl_activity_change_rules();
