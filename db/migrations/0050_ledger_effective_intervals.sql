-- The ledger's invariant under any order of decisions (issue #10, part 1).
--
-- An original entry's approved net is its minutes plus its approved corrections once it is
-- approved, and 0 otherwise; its effective interval is [service start, start + approved net).
-- At every commit, for every volunteer: each approved net lies in 0 … the activity's length,
-- each effective interval lies inside its activity, and no two effective intervals overlap,
-- across all activities.
--
-- 0020 checked the bounds only when an entry was recorded, counting every pending correction as
-- if it would be approved, and never for overlap: rejecting one pending correction and approving
-- another could take an entry past its activity and into the next one. Here:
--
-- * At record time each non-rejected original has an extent: the fewest and the most minutes
--   its approved net can still reach, whatever is later decided about its pending corrections
--   (min = minutes + approved corrections + negative pending ones; max = the same with the
--   positive pending ones). A new original or correction is accepted only if every extent stays
--   ≥ 0, every maximal interval [start, start + max) stays inside its activity, and no two
--   maximal intervals of the volunteer overlap. Since an approved net always lies between min
--   and max, no subset of later decisions can break the invariant.
-- * At decision time the invariant itself is checked again on the approved nets, under the
--   volunteer's lock (rows written before this migration, or by a path that skipped a check,
--   cannot be approved into a broken state).
--
-- Rules are computed by vl_hours_entry_problem / vl_hours_decision_problem, which return the
-- broken rule (or NULL) instead of raising; the triggers raise it. `hours import` inserts its
-- rows through the same trigger with `vledger.collect_hours_problems` set, so that a bad row is
-- listed with its rule instead of stopping the statement: the rules exist once, here.
--
-- Every check is an index probe on (volunteer_id, service_start), the primary keys or
-- corrects_id, never a scan of an activity's entries (0020's per-activity sums turned a
-- 150,000-row import onto one activity quadratic).

-- Functions below pin this search path: vledger's own schema first, the catalog, and the
-- session's temporary schema last, so that no temporary table or function shadows ours.
SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_schema()), true);

-- A broken rule: the rule's name (stable, the constraint of the raised error), the field and the
-- value involved (masked when personal), the sentence for people, and the other entry involved
-- (an overlap's neighbour), which an import turns back into a line number.
CREATE TYPE vl_problem AS (rule text, field text, value text, message text, other_entry bigint);

CREATE FUNCTION vl_problem_of(p_rule text, p_field text, p_value text, p_message text, p_other bigint DEFAULT NULL)
    RETURNS vl_problem
    LANGUAGE sql IMMUTABLE
    SET search_path FROM CURRENT
    AS $$ SELECT ROW(p_rule, p_field, p_value, p_message, p_other)::vl_problem $$;

-- The error a person reads: `field "value": message`, raised as a check violation whose
-- constraint is the rule and whose column is the field.
CREATE FUNCTION vl_raise_problem(p vl_problem) RETURNS void
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = p.rule, COLUMN = p.field,
        MESSAGE = 'vledger: ' || p.field || coalesce(' "' || p.value || '"', '') || ': ' || p.message;
END
$$;

-- The extent of every original entry: its decision, its approved net now, and the fewest and
-- most minutes its approved net can reach under any later decisions of its pending corrections.
-- A rejected original has nothing (0, 0, 0); a pending one has approved net 0. Corrections are
-- approved only after their original, so "approved corrections" are those of approved originals.
-- A view, not a function: the planner inlines it into each rule's query, so a row of a
-- 3,000,000-row import pays index probes only, not a function call (each call of a function with
-- a pinned search_path costs a GUC change and its undo).
CREATE VIEW hours_entry_extent AS
SELECT e.id, e.volunteer_id, e.activity_id, e.service_start, e.minutes, x.decision,
       CASE WHEN x.decision = 'approved' THEN e.minutes + c.approved_delta ELSE 0 END AS approved_net,
       CASE WHEN x.decision = 'rejected' THEN 0 ELSE e.minutes + c.approved_delta + c.pending_down END AS min_net,
       CASE WHEN x.decision = 'rejected' THEN 0 ELSE e.minutes + c.approved_delta + c.pending_up END AS max_net
FROM hours_entry e
-- Scalar subqueries, one primary-key probe each: a join planned while hours_decision was small
-- would scan every decision.
CROSS JOIN LATERAL (SELECT (SELECT d.decision FROM hours_decision d WHERE d.entry_id = e.id) AS decision) x
CROSS JOIN LATERAL (
    SELECT coalesce(sum(k.minutes) FILTER (WHERE k.decision = 'approved'), 0) AS approved_delta,
           coalesce(sum(least(k.minutes, 0)) FILTER (WHERE k.decision IS NULL), 0) AS pending_down,
           coalesce(sum(greatest(k.minutes, 0)) FILTER (WHERE k.decision IS NULL), 0) AS pending_up
    FROM (SELECT y.minutes, (SELECT d.decision FROM hours_decision d WHERE d.entry_id = y.id) AS decision
            FROM hours_entry y WHERE y.corrects_id = e.id) k
) c
WHERE e.corrects_id IS NULL;

-- It reads every entry whatever row-level security would show: only the rule functions, which
-- run as its owner, read it.
REVOKE ALL ON hours_entry_extent FROM PUBLIC;

-- Whether a volunteer may be credited with service on a local day: registered on or before it
-- and not deregistered on or before it. Shared by hours entries and check-ins.
CREATE FUNCTION vl_volunteer_serving_problem(p_volunteer bigint, p_day date) RETURNS vl_problem
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT
    SET jit = off
    AS $$
DECLARE
    v record;
    gone date;
BEGIN
    SELECT number, registered_on INTO v FROM volunteer WHERE id = p_volunteer;
    IF NOT FOUND THEN
        RETURN vl_problem_of('hours_volunteer_exists', 'volunteer', p_volunteer::text, 'no such volunteer');
    END IF;
    IF v.registered_on > p_day THEN
        RETURN vl_problem_of('hours_volunteer_registered', 'volunteer', v.number,
            format('not registered on the service date %s (registered on %s)', p_day, v.registered_on));
    END IF;
    SELECT effective_on INTO gone FROM volunteer_deregistration WHERE volunteer_id = p_volunteer AND effective_on <= p_day;
    IF FOUND THEN
        RETURN vl_problem_of('hours_volunteer_deregistered', 'volunteer', v.number,
            format('deregistered on %s, before or on the service date %s', gone, p_day));
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION vl_check_volunteer_serving(p_volunteer bigint, p_day date) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT
    AS $$
DECLARE
    p vl_problem := vl_volunteer_serving_problem(p_volunteer, p_day);
BEGIN
    IF p.rule IS NOT NULL THEN
        PERFORM vl_raise_problem(p);
    END IF;
END
$$;

-- What is wrong with a new ledger row, or NULL. Locks the volunteer first: the checks read the
-- volunteer's entries, which another transaction must not add to meanwhile.
CREATE FUNCTION vl_hours_entry_problem(n hours_entry) RETURNS vl_problem
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT
    SET enable_seqscan = off
    SET jit = off
    AS $$
DECLARE
    vol record;
    act record;
    orig record;
    ext record;
    nearest record;
    service_day date;
    service_end timestamptz;
    tz text;
    p vl_problem;
    new_min bigint;
    new_max bigint;
BEGIN
    SELECT number, registered_on INTO vol FROM volunteer WHERE id = n.volunteer_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN vl_problem_of('hours_volunteer_exists', 'volunteer', n.volunteer_id::text, 'no such volunteer');
    END IF;
    -- A retried request: the unique constraint (or ON CONFLICT) answers, not the rules below,
    -- which would see the first entry and call the retry an overlap.
    IF n.request_id IS NOT NULL AND EXISTS (SELECT 1 FROM hours_entry WHERE request_id = n.request_id) THEN
        RETURN NULL;
    END IF;
    SELECT id, starts_at, ends_at, length_minutes, closed_at INTO act FROM activity WHERE id = n.activity_id;
    IF NOT FOUND THEN
        RETURN vl_problem_of('hours_activity_exists', 'activity', n.activity_id::text, 'no such activity');
    END IF;

    IF n.corrects_id IS NOT NULL THEN
        IF n.source <> 'correction' THEN
            RETURN vl_problem_of('hours_correction_source', 'source', n.source, 'an entry that corrects another has source correction');
        END IF;
        SELECT e.id, e.volunteer_id, e.activity_id, e.service_start, e.corrects_id INTO orig
          FROM hours_entry e WHERE e.id = n.corrects_id;
        IF NOT FOUND THEN
            RETURN vl_problem_of('hours_correction_target', 'entry', n.corrects_id::text, 'no such entry');
        END IF;
        IF orig.corrects_id IS NOT NULL THEN
            RETURN vl_problem_of('hours_correction_target', 'entry', orig.id::text,
                format('is itself a correction; a correction points at the original entry %s', orig.corrects_id));
        END IF;
        IF orig.volunteer_id <> n.volunteer_id OR orig.activity_id <> n.activity_id OR orig.service_start <> n.service_start THEN
            RETURN vl_problem_of('hours_correction_copy', 'entry', orig.id::text,
                'a correction keeps the volunteer, activity and service start of the entry it corrects');
        END IF;
        SELECT * INTO ext FROM hours_entry_extent WHERE id = orig.id;
        IF ext.decision = 'rejected' THEN
            RETURN vl_problem_of('hours_correction_target', 'entry', orig.id::text, 'rejected; a rejected entry cannot be corrected');
        END IF;
        new_min := ext.min_net + least(n.minutes, 0);
        new_max := ext.max_net + greatest(n.minutes, 0);
        IF new_min < 0 THEN
            RETURN vl_problem_of('hours_net_range', 'delta_minutes', n.minutes::text,
                format('would take entry %s below zero: it could stand at %s minutes if only the corrections that lower it were approved (approved now: %s)',
                       orig.id, new_min, ext.approved_net));
        END IF;
        IF n.minutes > 0 THEN
            service_end := n.service_start + new_max * interval '1 minute';
            IF new_max > act.length_minutes OR service_end > act.ends_at THEN
                RETURN vl_problem_of('hours_inside_activity', 'delta_minutes', n.minutes::text,
                    format('entry %s would run past the end of activity %s: it could stand at %s minutes if the corrections that raise it were approved, ending after %s',
                           orig.id, act.id, new_max, vl_local_text(act.ends_at)));
            END IF;
            IF service_end > now() THEN
                RETURN vl_problem_of('hours_not_future', 'delta_minutes', n.minutes::text,
                    format('entry %s would then run until %s, in the future', orig.id, vl_local_text(service_end)));
            END IF;
            -- The next original that may take time after this one's start: none may begin before
            -- the new end. (Those before it end by its start already.)
            SELECT x.id AS entry_id, x.service_start INTO nearest
              FROM hours_entry_extent x
             WHERE x.volunteer_id = n.volunteer_id AND x.service_start >= n.service_start AND x.id <> orig.id AND x.max_net > 0
             ORDER BY x.volunteer_id, x.service_start
             LIMIT 1;
            IF FOUND AND nearest.service_start < service_end THEN
                RETURN vl_problem_of('hours_no_overlap', 'delta_minutes', n.minutes::text,
                    format('entry %s could then run until %s, into entry %s of volunteer %s, which starts at %s; service intervals cannot overlap',
                           orig.id, vl_local_text(service_end), nearest.entry_id, vol.number, vl_local_text(nearest.service_start)),
                    nearest.entry_id);
            END IF;
        END IF;
        RETURN NULL;
    END IF;

    IF n.source = 'correction' THEN
        RETURN vl_problem_of('hours_correction_source', 'source', 'correction', 'a correction names the entry it corrects');
    END IF;
    -- A closed activity takes no new hours; the check-outs its closing forces are the exception.
    IF act.closed_at IS NOT NULL AND n.source <> 'auto_checkout' THEN
        RETURN vl_problem_of('hours_activity_open', 'activity', act.id::text,
            format('closed at %s; only corrections can be recorded on it', vl_local_text(act.closed_at)));
    END IF;
    IF n.minutes <= 0 THEN
        RETURN vl_problem_of('hours_minutes_positive', 'minutes', n.minutes::text, 'must be a positive whole number of minutes');
    END IF;
    service_end := n.service_start + n.minutes * interval '1 minute';
    IF n.service_start < act.starts_at OR service_end > act.ends_at THEN
        RETURN vl_problem_of('hours_inside_activity', 'start', vl_local_text(n.service_start),
            format('%s minutes from then lie outside activity %s (%s to %s)',
                   n.minutes, act.id, vl_local_text(act.starts_at), vl_local_text(act.ends_at)));
    END IF;
    IF service_end > now() THEN
        RETURN vl_problem_of('hours_not_future', 'start', vl_local_text(n.service_start),
            format('service of %s minutes would end in the future', n.minutes));
    END IF;
    -- Read directly (a cached index lookup) rather than through vl_time_zone(), which as a SQL
    -- function would be planned again for every row of an import.
    SELECT value INTO tz FROM setting WHERE name = 'time_zone';
    service_day := (n.service_start AT TIME ZONE coalesce(tz, 'Asia/Shanghai'))::date;
    p := vl_volunteer_serving_problem(n.volunteer_id, service_day);
    IF p.rule IS NOT NULL THEN
        RETURN p;
    END IF;
    -- Maximal intervals of one volunteer never overlap, so among those starting before the new
    -- end, the latest is the only one that can reach into the new interval.
    SELECT x.id AS entry_id, x.service_start, x.service_start + x.max_net * interval '1 minute' AS reaches INTO nearest
      FROM hours_entry_extent x
     WHERE x.volunteer_id = n.volunteer_id AND x.service_start < service_end AND x.max_net > 0
     ORDER BY x.volunteer_id DESC, x.service_start DESC
     LIMIT 1;
    IF FOUND AND nearest.reaches > n.service_start THEN
        RETURN vl_problem_of('hours_no_overlap', 'start', vl_local_text(n.service_start),
            format('volunteer %s overlaps entry %s (from %s until %s, counting corrections that may be approved); service intervals cannot overlap',
                   vol.number, nearest.entry_id, vl_local_text(nearest.service_start), vl_local_text(nearest.reaches)),
            nearest.entry_id);
    END IF;
    RETURN NULL;
END
$$;

-- What is wrong with a new decision, or NULL. Checks the invariant itself on the approved nets
-- as they would stand with this approval, under the volunteer's lock.
CREATE FUNCTION vl_hours_decision_problem(n hours_decision) RETURNS vl_problem
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT
    SET enable_seqscan = off
    SET jit = off
    AS $$
DECLARE
    e record;
    o record;
    act record;
    ext record;
    nearest record;
    original bigint;
    net bigint;
    service_end timestamptz;
BEGIN
    SELECT id, volunteer_id, activity_id, minutes, corrects_id INTO e FROM hours_entry WHERE id = n.entry_id;
    IF NOT FOUND THEN
        RETURN vl_problem_of('hours_decision_entry', 'entry', n.entry_id::text, 'no such entry');
    END IF;
    -- Same lock as the entry rules: decisions and new entries of one volunteer take turns.
    PERFORM 1 FROM volunteer WHERE id = e.volunteer_id FOR UPDATE;
    IF n.decision <> 'approved' THEN
        RETURN NULL;
    END IF;
    original := coalesce(e.corrects_id, e.id);
    SELECT * INTO ext FROM hours_entry_extent WHERE id = original;
    IF e.corrects_id IS NOT NULL AND ext.decision IS DISTINCT FROM 'approved' THEN
        RETURN vl_problem_of('hours_decision_order', 'entry', e.id::text,
            format('corrects entry %s, which is %s; approve the original first', e.corrects_id, coalesce(ext.decision, 'pending')));
    END IF;
    SELECT service_start INTO o FROM hours_entry WHERE id = original;
    SELECT id, starts_at, ends_at, length_minutes INTO act FROM activity WHERE id = e.activity_id;
    -- A pending original has approved net 0 and no approved corrections: approving it makes its
    -- net its own minutes; approving a correction adds its delta.
    net := ext.approved_net + e.minutes;
    IF net < 0 THEN
        RETURN vl_problem_of('hours_net_range', 'entry', e.id::text,
            format('approving it would take entry %s below zero (%s approved minutes)', original, ext.approved_net));
    END IF;
    service_end := o.service_start + net * interval '1 minute';
    IF net > act.length_minutes OR service_end > act.ends_at THEN
        RETURN vl_problem_of('hours_inside_activity', 'entry', e.id::text,
            format('approving it would make entry %s %s minutes, ending at %s, past the end of activity %s (%s)',
                   original, net, vl_local_text(service_end), act.id, vl_local_text(act.ends_at)));
    END IF;
    IF net > 0 THEN
        -- Effective intervals of one volunteer never overlap either: the latest approved one
        -- starting before the new end is the only one that can reach into it.
        SELECT x.id AS entry_id, x.service_start, x.service_start + x.approved_net * interval '1 minute' AS reaches INTO nearest
          FROM hours_entry_extent x
         WHERE x.volunteer_id = e.volunteer_id AND x.service_start < service_end AND x.id <> original AND x.approved_net > 0
         ORDER BY x.volunteer_id DESC, x.service_start DESC
         LIMIT 1;
        IF FOUND AND nearest.reaches > o.service_start THEN
            RETURN vl_problem_of('hours_no_overlap', 'entry', e.id::text,
                format('approving it would make entry %s (from %s until %s) overlap approved entry %s (from %s until %s); service intervals cannot overlap',
                       original, vl_local_text(o.service_start), vl_local_text(service_end),
                       nearest.entry_id, vl_local_text(nearest.service_start), vl_local_text(nearest.reaches)),
                nearest.entry_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- The triggers run as the person writing (row-level security and grants apply to the row
-- written); the rule functions above run with their owner's rights, since they read rows the
-- person may not see. With `vledger.collect_hours_problems` on, a broken rule is noted in the
-- session's own pg_temp.vl_hours_problem and the row is skipped: `hours import` lists every bad
-- row that way and then writes nothing (or only the good rows with --skip-bad).
CREATE OR REPLACE FUNCTION vl_hours_entry_rules() RETURNS trigger
    LANGUAGE plpgsql SECURITY INVOKER
    SET search_path FROM CURRENT
    SET jit = off
    AS $$
DECLARE
    p vl_problem;
BEGIN
    p := vl_hours_entry_problem(NEW);
    IF p.rule IS NULL THEN
        RETURN NEW;
    END IF;
    IF current_setting('vledger.collect_hours_problems', true) = 'on' THEN
        INSERT INTO pg_temp.vl_hours_problem (request_id, rule, field, value, message, other_entry)
        VALUES (NEW.request_id, p.rule, p.field, p.value, p.message, p.other_entry);
        RETURN NULL;
    END IF;
    PERFORM vl_raise_problem(p);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION vl_hours_decision_rules() RETURNS trigger
    LANGUAGE plpgsql SECURITY INVOKER
    SET search_path FROM CURRENT
    SET jit = off
    AS $$
DECLARE
    p vl_problem;
BEGIN
    p := vl_hours_decision_problem(NEW);
    IF p.rule IS NOT NULL THEN
        PERFORM vl_raise_problem(p);
    END IF;
    RETURN NEW;
END
$$;

-- Check-ins (0021) keep the same rules by the same functions: the volunteer serving on the day,
-- the activity open, nothing in the future; plus their own (inside the activity's time, one open
-- check-in at a time).
CREATE FUNCTION vl_hours_checkin_problem(n hours_checkin) RETURNS vl_problem
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT
    SET enable_seqscan = off
    SET jit = off
    AS $$
DECLARE
    act record;
    open_id bigint;
    vol_number text;
    tz text;
BEGIN
    SELECT number INTO vol_number FROM volunteer WHERE id = n.volunteer_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN vl_problem_of('hours_volunteer_exists', 'volunteer', n.volunteer_id::text, 'no such volunteer');
    END IF;
    SELECT id, starts_at, ends_at, closed_at INTO act FROM activity WHERE id = n.activity_id;
    IF NOT FOUND THEN
        RETURN vl_problem_of('hours_activity_exists', 'activity', n.activity_id::text, 'no such activity');
    END IF;
    IF act.closed_at IS NOT NULL THEN
        RETURN vl_problem_of('hours_activity_open', 'activity', act.id::text,
            format('closed at %s; no more check-ins', vl_local_text(act.closed_at)));
    END IF;
    IF n.checked_in_at < act.starts_at OR n.checked_in_at >= act.ends_at THEN
        RETURN vl_problem_of('hours_inside_activity', 'at', vl_local_text(n.checked_in_at),
            format('outside activity %s (%s to %s)', act.id, vl_local_text(act.starts_at), vl_local_text(act.ends_at)));
    END IF;
    IF n.checked_in_at > now() THEN
        RETURN vl_problem_of('hours_not_future', 'at', vl_local_text(n.checked_in_at), 'in the future');
    END IF;
    SELECT value INTO tz FROM setting WHERE name = 'time_zone';
    RETURN coalesce(vl_volunteer_serving_problem(n.volunteer_id, (n.checked_in_at AT TIME ZONE coalesce(tz, 'Asia/Shanghai'))::date),
                    (SELECT vl_problem_of('hours_checkin_single', 'volunteer', vol_number,
                                          format('already checked in (check-in %s); check out first', c.id))
                       FROM hours_checkin c
                      WHERE c.volunteer_id = n.volunteer_id AND NOT EXISTS (SELECT 1 FROM hours_checkout o WHERE o.checkin_id = c.id)
                      ORDER BY c.volunteer_id, c.checked_in_at
                      LIMIT 1));
END
$$;

CREATE OR REPLACE FUNCTION vl_hours_checkin_rules() RETURNS trigger
    LANGUAGE plpgsql SECURITY INVOKER
    SET search_path FROM CURRENT
    SET jit = off
    AS $$
DECLARE
    p vl_problem := vl_hours_checkin_problem(NEW);
BEGIN
    IF p.rule IS NOT NULL THEN
        PERFORM vl_raise_problem(p);
    END IF;
    RETURN NEW;
END
$$;
