-- Database rules raise with structured details (issue 12, part 2): the rule's code in
-- CONSTRAINT, the field in COLUMN, an English MESSAGE for psql users and logs, and a DETAIL that
-- is a JSON object
--     {"field": "start", "value": "2026-12-01T09:30:00+08:00", "args": {"other_entry": "17", …}}
-- (every value of "args" a string; personal values masked as everywhere). vledger renders the
-- code with these arguments from its catalog in the person's language, so the Chinese text names
-- the same numbers the English one does; the HTTP service returns {code, field, message} from it.
--
-- The functions below are those of 0010, 0020, 0050, 0100 and 0111 with only their raising parts
-- changed (vl_problem_of calls and RAISE statements); their logic is as it was. Their security
-- and settings (SECURITY DEFINER, search_path, enable_seqscan, jit) are kept: CREATE OR REPLACE
-- would reset them, so they are read before and put back after.

SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_schema()), true);

CREATE TEMP TABLE vl_0120_kept ON COMMIT DROP AS
SELECT p.oid, p.prosecdef, p.proconfig FROM pg_catalog.pg_proc p
 WHERE p.pronamespace = current_schema()::regnamespace
   AND p.proname IN ('vl_volunteer_serving_problem', 'vl_hours_entry_problem', 'vl_hours_decision_problem',
                     'vl_hours_entry_rules', 'vl_hours_checkin_problem', 'vl_raise_problem', 'vl_rule',
                     'vl_volunteer_registration_rules', 'vl_volunteer_fixed_fields', 'vl_volunteer_district_rules',
                     'vl_volunteer_deregistration_rules', 'vl_registry_history_fixed', 'vl_refuse_ledger_change',
                     'vl_setting_valid', 'vl_user_set_display_name');

-- The DETAIL of a rule's error.
CREATE FUNCTION vl_rule_detail(p_field text, p_value text, p_args jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT jsonb_build_object('field', p_field, 'value', p_value, 'args', jsonb_strip_nulls(coalesce(p_args, '{}')))::text $$;

-- Raises rule p_code for p_field (and p_value, already masked when personal): the one raiser of
-- vledger's rules. MESSAGE `vledger: field "value": message` as before; DETAIL as above.
CREATE FUNCTION vl_raise(p_code text, p_field text, p_value text, p_message text, p_args jsonb DEFAULT NULL,
                         p_state text DEFAULT 'check_violation') RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = p_state, CONSTRAINT = p_code, COLUMN = p_field,
        MESSAGE = 'vledger: ' || p_field || coalesce(' "' || p_value || '"', '') || ': ' || p_message,
        DETAIL = vl_rule_detail(p_field, p_value, p_args);
END
$$;

-- A broken rule carries its arguments too.
ALTER TYPE vl_problem ADD ATTRIBUTE args jsonb;

DROP FUNCTION vl_problem_of(text, text, text, text, bigint);
CREATE FUNCTION vl_problem_of(p_rule text, p_field text, p_value text, p_message text, p_other bigint DEFAULT NULL,
                              p_args jsonb DEFAULT NULL)
    RETURNS vl_problem
    LANGUAGE sql IMMUTABLE
    SET search_path FROM CURRENT
    AS $$ SELECT ROW(p_rule, p_field, p_value, p_message, p_other, p_args)::vl_problem $$;

CREATE OR REPLACE FUNCTION vl_raise_problem(p vl_problem) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM vl_raise(p.rule, p.field, p.value, p.message, p.args);
END
$$;

-- 0020's raiser, still used by the activity and check-out rules: its message is
-- `field "value": text`, which gives the DETAIL's field and value.
CREATE OR REPLACE FUNCTION vl_rule(p_constraint text, p_message text) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    parts text[] := regexp_match(p_message, '^([A-Za-z_-]+)(?: "(.*?)")?: (.*)$', 's');
BEGIN
    IF parts IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = p_constraint, MESSAGE = 'vledger: ' || p_message;
    END IF;
    PERFORM vl_raise(p_constraint, parts[1], parts[2], parts[3]);
END
$$;

-- The rule functions, with their raising parts giving arguments.

CREATE OR REPLACE FUNCTION vl_volunteer_serving_problem(p_volunteer bigint, p_day date) RETURNS vl_problem
    LANGUAGE plpgsql
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
            format('not registered on the service date %s (registered on %s)', p_day, v.registered_on),
            p_args => jsonb_build_object('day', p_day::text, 'registered_on', v.registered_on::text));
    END IF;
    SELECT effective_on INTO gone FROM volunteer_deregistration WHERE volunteer_id = p_volunteer AND effective_on <= p_day;
    IF FOUND THEN
        RETURN vl_problem_of('hours_volunteer_deregistered', 'volunteer', v.number,
            format('deregistered on %s, before or on the service date %s', gone, p_day),
            p_args => jsonb_build_object('left', gone::text, 'day', p_day::text));
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION vl_hours_entry_problem(n hours_entry) RETURNS vl_problem
    LANGUAGE plpgsql
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
                format('is itself a correction; a correction points at the original entry %s', orig.corrects_id),
                p_args => jsonb_build_object('original', orig.corrects_id::text));
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
                       orig.id, new_min, ext.approved_net),
                p_args => jsonb_build_object('entry', orig.id::text, 'net', new_min::text, 'approved', ext.approved_net::text));
        END IF;
        IF n.minutes > 0 THEN
            service_end := n.service_start + new_max * interval '1 minute';
            IF new_max > act.length_minutes OR service_end > act.ends_at THEN
                RETURN vl_problem_of('hours_inside_activity', 'delta_minutes', n.minutes::text,
                    format('entry %s would run past the end of activity %s: it could stand at %s minutes if the corrections that raise it were approved, ending after %s',
                           orig.id, act.id, new_max, vl_local_text(act.ends_at)),
                    p_args => jsonb_build_object('entry', orig.id::text, 'net', new_max::text, 'activity', act.id::text,
                                                 'activity_start', vl_local_text(act.starts_at), 'activity_end', vl_local_text(act.ends_at)));
            END IF;
            IF service_end > now() THEN
                RETURN vl_problem_of('hours_not_future', 'delta_minutes', n.minutes::text,
                    format('entry %s would then run until %s, in the future', orig.id, vl_local_text(service_end)),
                    p_args => jsonb_build_object('entry', orig.id::text, 'end', vl_local_text(service_end)));
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
                    nearest.entry_id,
                    jsonb_build_object('entry', orig.id::text, 'end', vl_local_text(service_end), 'number', vol.number,
                                       'other_entry', nearest.entry_id::text, 'other_start', vl_local_text(nearest.service_start)));
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
            format('closed at %s; only corrections can be recorded on it', vl_local_text(act.closed_at)),
            p_args => jsonb_build_object('activity', act.id::text, 'closed_at', vl_local_text(act.closed_at)));
    END IF;
    IF n.minutes <= 0 THEN
        RETURN vl_problem_of('hours_minutes_positive', 'minutes', n.minutes::text, 'must be a positive whole number of minutes');
    END IF;
    service_end := n.service_start + n.minutes * interval '1 minute';
    IF n.service_start < act.starts_at OR service_end > act.ends_at THEN
        RETURN vl_problem_of('hours_inside_activity', 'start', vl_local_text(n.service_start),
            format('%s minutes from then lie outside activity %s (%s to %s)',
                   n.minutes, act.id, vl_local_text(act.starts_at), vl_local_text(act.ends_at)),
            p_args => jsonb_build_object('minutes', n.minutes::text, 'activity', act.id::text,
                                         'activity_start', vl_local_text(act.starts_at), 'activity_end', vl_local_text(act.ends_at)));
    END IF;
    IF service_end > now() THEN
        RETURN vl_problem_of('hours_not_future', 'start', vl_local_text(n.service_start),
            format('service of %s minutes would end in the future', n.minutes),
            p_args => jsonb_build_object('minutes', n.minutes::text, 'end', vl_local_text(service_end)));
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
            nearest.entry_id,
            jsonb_build_object('number', vol.number, 'other_entry', nearest.entry_id::text,
                               'other_start', vl_local_text(nearest.service_start), 'other_end', vl_local_text(nearest.reaches)));
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION vl_hours_decision_problem(n hours_decision) RETURNS vl_problem
    LANGUAGE plpgsql
    AS $$
DECLARE
    e record;
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
            format('corrects entry %s, which is %s; approve the original first', e.corrects_id, coalesce(ext.decision, 'pending')),
            p_args => jsonb_build_object('original', e.corrects_id::text, 'decision', coalesce(ext.decision, 'pending')));
    END IF;
    SELECT id, starts_at, ends_at, length_minutes INTO act FROM activity WHERE id = e.activity_id;
    -- A pending original has approved net 0 and no approved corrections: approving it makes its
    -- net its own minutes; approving a correction adds its delta.
    net := ext.approved_net + e.minutes;
    IF net < 0 THEN
        RETURN vl_problem_of('hours_net_range', 'entry', e.id::text,
            format('approving it would take entry %s below zero (%s approved minutes)', original, ext.approved_net),
            p_args => jsonb_build_object('entry', original::text, 'net', net::text, 'approved', ext.approved_net::text));
    END IF;
    service_end := ext.service_start + net * interval '1 minute';
    IF net > act.length_minutes OR service_end > act.ends_at THEN
        RETURN vl_problem_of('hours_inside_activity', 'entry', e.id::text,
            format('approving it would make entry %s %s minutes, ending at %s, past the end of activity %s (%s)',
                   original, net, vl_local_text(service_end), act.id, vl_local_text(act.ends_at)),
            p_args => jsonb_build_object('entry', original::text, 'net', net::text, 'end', vl_local_text(service_end), 'activity', act.id::text,
                                         'activity_start', vl_local_text(act.starts_at), 'activity_end', vl_local_text(act.ends_at)));
    END IF;
    IF net > 0 THEN
        -- Effective intervals of one volunteer never overlap either: the latest approved one
        -- starting before the new end is the only one that can reach into it.
        SELECT x.id AS entry_id, x.service_start, x.service_start + x.approved_net * interval '1 minute' AS reaches INTO nearest
          FROM hours_entry_extent x
         WHERE x.volunteer_id = e.volunteer_id AND x.service_start < service_end AND x.id <> original AND x.approved_net > 0
         ORDER BY x.volunteer_id DESC, x.service_start DESC
         LIMIT 1;
        IF FOUND AND nearest.reaches > ext.service_start THEN
            RETURN vl_problem_of('hours_no_overlap', 'entry', e.id::text,
                format('approving it would make entry %s (from %s until %s) overlap approved entry %s (from %s until %s); service intervals cannot overlap',
                       original, vl_local_text(ext.service_start), vl_local_text(service_end),
                       nearest.entry_id, vl_local_text(nearest.service_start), vl_local_text(nearest.reaches)),
                nearest.entry_id,
                jsonb_build_object('entry', original::text, 'start', vl_local_text(ext.service_start), 'end', vl_local_text(service_end),
                                   'other_entry', nearest.entry_id::text, 'other_start', vl_local_text(nearest.service_start),
                                   'other_end', vl_local_text(nearest.reaches)));
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION vl_hours_entry_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    p vl_problem;
BEGIN
    p := vl_hours_entry_problem(NEW);
    IF p.rule IS NULL THEN
        RETURN NEW;
    END IF;
    IF current_setting('vledger.collect_hours_problems', true) = 'on' THEN
        INSERT INTO pg_temp.vl_hours_problem (request_id, rule, field, value, message, other_entry, args)
        VALUES (NEW.request_id, p.rule, p.field, p.value, p.message, p.other_entry, jsonb_strip_nulls(p.args));
        RETURN NULL;
    END IF;
    PERFORM vl_raise_problem(p);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION vl_hours_checkin_problem(n hours_checkin) RETURNS vl_problem
    LANGUAGE plpgsql
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
            format('closed at %s; no more check-ins', vl_local_text(act.closed_at)),
            p_args => jsonb_build_object('activity', act.id::text, 'closed_at', vl_local_text(act.closed_at)));
    END IF;
    IF n.checked_in_at < act.starts_at OR n.checked_in_at >= act.ends_at THEN
        RETURN vl_problem_of('hours_inside_activity', 'at', vl_local_text(n.checked_in_at),
            format('outside activity %s (%s to %s)', act.id, vl_local_text(act.starts_at), vl_local_text(act.ends_at)),
            p_args => jsonb_build_object('activity', act.id::text, 'activity_start', vl_local_text(act.starts_at),
                                         'activity_end', vl_local_text(act.ends_at)));
    END IF;
    IF n.checked_in_at > now() THEN
        RETURN vl_problem_of('hours_not_future', 'at', vl_local_text(n.checked_in_at), 'in the future');
    END IF;
    SELECT value INTO tz FROM setting WHERE name = 'time_zone';
    RETURN coalesce(vl_volunteer_serving_problem(n.volunteer_id, (n.checked_in_at AT TIME ZONE coalesce(tz, 'Asia/Shanghai'))::date),
                    (SELECT vl_problem_of('hours_checkin_single', 'volunteer', vol_number,
                                          format('already checked in (check-in %s); check out first', c.id),
                                          p_args => jsonb_build_object('checkin', c.id::text))
                       FROM hours_checkin c
                      WHERE c.volunteer_id = n.volunteer_id AND NOT EXISTS (SELECT 1 FROM hours_checkout o WHERE o.checkin_id = c.id)
                      ORDER BY c.volunteer_id, c.checked_in_at
                      LIMIT 1));
END
$$;

CREATE OR REPLACE FUNCTION vl_volunteer_registration_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    bad record;
    min_age int := vl_minimum_age();
    today date := vl_today();
BEGIN
    SELECT n.id_number, n.registered_on, n.birth_date INTO bad
    FROM new_rows n WHERE n.registered_on > today LIMIT 1;
    IF FOUND THEN
        PERFORM vl_raise('volunteer_registered_not_future', 'registered_on', bad.registered_on::text,
            format('is in the future (today is %s in the city time zone)', today), jsonb_build_object('today', today::text));
    END IF;
    SELECT n.id_number, n.registered_on, n.birth_date INTO bad
    -- Whole years as a person counts them (age()), the same as the Swift check: someone born on
    -- 29 February is not a year older on 28 February.
    FROM new_rows n WHERE extract(year FROM age(n.registered_on, n.birth_date)) < min_age LIMIT 1;
    IF FOUND THEN
        PERFORM vl_raise('volunteer_minimum_age', 'id_number', vl_mask_id_number(bad.id_number),
            format('under the minimum age of %s on the registration date %s', min_age, bad.registered_on),
            jsonb_build_object('minimum', min_age::text, 'registered_on', bad.registered_on::text,
                               'age', extract(year FROM age(bad.registered_on, bad.birth_date))::int::text));
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION vl_volunteer_fixed_fields() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.id_number IS DISTINCT FROM OLD.id_number THEN
        PERFORM vl_raise('volunteer_id_number_fixed', 'id_number', vl_mask_id_number(OLD.id_number), 'cannot be changed after registration');
    END IF;
    IF NEW.registered_on IS DISTINCT FROM OLD.registered_on THEN
        PERFORM vl_raise('volunteer_registered_on_fixed', 'registered_on', OLD.registered_on::text, 'cannot be changed after registration');
    END IF;
    IF NEW.number IS DISTINCT FROM OLD.number OR NEW.consent_recorded_at IS DISTINCT FROM OLD.consent_recorded_at
       OR NEW.guardian_consent_at IS DISTINCT FROM OLD.guardian_consent_at
       OR NEW.recorded_by IS DISTINCT FROM OLD.recorded_by OR NEW.recorded_at IS DISTINCT FROM OLD.recorded_at THEN
        PERFORM vl_raise('volunteer_registration_fixed', 'volunteer', OLD.number, 'number, consent and registration record cannot be changed');
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION vl_volunteer_district_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    bad record;
    today date := vl_today();
BEGIN
    -- Moves (not first rows) lock their volunteer so a concurrent deregistration is seen.
    PERFORM 1 FROM volunteer v JOIN new_rows n ON n.volunteer_id = v.id
    WHERE n.effective_from <> v.registered_on
    ORDER BY v.id FOR UPDATE OF v;

    -- One pass over the new rows (an import adds 100,000 first rows in one statement).
    SELECT v.number, n.effective_from, v.registered_on, d.effective_on,
           CASE WHEN n.effective_from > today THEN 1 WHEN n.effective_from < v.registered_on THEN 2 ELSE 3 END AS rule
    INTO bad
    FROM new_rows n JOIN volunteer v ON v.id = n.volunteer_id
    LEFT JOIN volunteer_deregistration d ON d.volunteer_id = n.volunteer_id
    WHERE n.effective_from > today OR n.effective_from < v.registered_on OR n.effective_from >= d.effective_on
    ORDER BY rule LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    ELSIF bad.rule = 1 THEN
        PERFORM vl_raise('volunteer_district_not_future', 'on', bad.effective_from::text,
            format('is in the future (today is %s in the city time zone)', today), jsonb_build_object('today', today::text));
    ELSIF bad.rule = 2 THEN
        PERFORM vl_raise('volunteer_district_after_registration', 'on', bad.effective_from::text,
            format('volunteer %s registered on %s; a district change must be after that', bad.number, bad.registered_on),
            jsonb_build_object('number', bad.number, 'registered_on', bad.registered_on::text));
    ELSE
        PERFORM vl_raise('volunteer_district_before_deregistration', 'on', bad.effective_from::text,
            format('volunteer %s was deregistered on %s; a district change must be before that', bad.number, bad.effective_on),
            jsonb_build_object('number', bad.number, 'left', bad.effective_on::text));
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION vl_volunteer_deregistration_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    bad record;
    today date := vl_today();
BEGIN
    PERFORM 1 FROM volunteer v WHERE v.id IN (SELECT n.volunteer_id FROM new_rows n) ORDER BY v.id FOR UPDATE;

    SELECT v.number, n.effective_on INTO bad
    FROM new_rows n JOIN volunteer v ON v.id = n.volunteer_id
    WHERE n.effective_on > today LIMIT 1;
    IF FOUND THEN
        PERFORM vl_raise('volunteer_deregistration_not_future', 'on', bad.effective_on::text,
            format('is in the future (today is %s in the city time zone)', today), jsonb_build_object('today', today::text));
    END IF;

    SELECT v.number, n.effective_on, v.registered_on INTO bad
    FROM new_rows n JOIN volunteer v ON v.id = n.volunteer_id
    WHERE n.effective_on < v.registered_on LIMIT 1;
    IF FOUND THEN
        PERFORM vl_raise('volunteer_deregistration_after_registration', 'on', bad.effective_on::text,
            format('volunteer %s registered on %s; deregistration cannot be before that', bad.number, bad.registered_on),
            jsonb_build_object('number', bad.number, 'registered_on', bad.registered_on::text));
    END IF;

    SELECT v.number, n.effective_on, max(vd.effective_from) AS last_move INTO bad
    FROM new_rows n JOIN volunteer v ON v.id = n.volunteer_id
    JOIN volunteer_district vd ON vd.volunteer_id = n.volunteer_id AND vd.effective_from > v.registered_on
    GROUP BY v.number, n.effective_on
    HAVING max(vd.effective_from) >= n.effective_on LIMIT 1;
    IF FOUND THEN
        PERFORM vl_raise('volunteer_deregistration_after_moves', 'on', bad.effective_on::text,
            format('volunteer %s moved district on %s; deregistration must be after that', bad.number, bad.last_move),
            jsonb_build_object('number', bad.number, 'moved_on', bad.last_move::text));
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION vl_registry_history_fixed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM vl_raise(TG_TABLE_NAME || '_history_fixed', TG_TABLE_NAME, NULL,
        'history rows are kept as recorded and cannot be changed or deleted', jsonb_build_object('table', TG_TABLE_NAME));
END
$$;

CREATE OR REPLACE FUNCTION vl_refuse_ledger_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM vl_raise('hours_ledger_append_only', TG_TABLE_NAME, NULL,
        format('the ledger is append-only; rows are never %s (record a correction or a decision instead)',
               CASE TG_OP WHEN 'UPDATE' THEN 'updated' WHEN 'DELETE' THEN 'deleted' ELSE 'truncated' END),
        jsonb_build_object('table', TG_TABLE_NAME, 'operation', lower(TG_OP)), 'raise_exception');
END
$$;

CREATE OR REPLACE FUNCTION vl_setting_valid() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    shown text := left(NEW.value, 60);
    parts text[];
BEGIN
    CASE NEW.name
    WHEN 'time_zone' THEN
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names WHERE name = NEW.value) THEN
            PERFORM vl_raise('setting_time_zone_known', 'time_zone', shown, 'not a time zone name PostgreSQL knows (like Asia/Shanghai)');
        END IF;
    WHEN 'minimum_age' THEN
        IF (CASE WHEN NEW.value ~ '^[0-9]{1,3}$' THEN NEW.value::int NOT BETWEEN 1 AND 100 ELSE true END) THEN
            PERFORM vl_raise('setting_minimum_age_valid', 'minimum_age', shown, 'must be a whole number of years from 1 to 100');
        END IF;
    WHEN 'daily_hours_limit' THEN
        IF (CASE WHEN NEW.value ~ '^[0-9]{1,2}$' THEN NEW.value::int NOT BETWEEN 1 AND 24 ELSE true END) THEN
            PERFORM vl_raise('setting_daily_hours_limit_valid', 'daily_hours_limit', shown, 'must be a whole number of hours from 1 to 24');
        END IF;
    WHEN 'late_recording_days' THEN
        IF (CASE WHEN NEW.value ~ '^[0-9]{1,4}$' THEN NEW.value::int > 3650 ELSE true END) THEN
            PERFORM vl_raise('setting_late_recording_days_valid', 'late_recording_days', shown, 'must be a whole number of days from 0 to 3650');
        END IF;
    WHEN 'recorder_hourly_entries_limit' THEN
        IF (CASE WHEN NEW.value ~ '^[0-9]{1,6}$' THEN NEW.value::int NOT BETWEEN 1 AND 100000 ELSE true END) THEN
            PERFORM vl_raise('setting_recorder_hourly_entries_limit_valid', 'recorder_hourly_entries_limit', shown, 'must be a whole number of entries from 1 to 100000');
        END IF;
    WHEN 'star_thresholds_hours' THEN
        parts := string_to_array(replace(NEW.value, ' ', ''), ',');
        IF (CASE WHEN NEW.value ~ '^ *[0-9]{1,6}( *, *[0-9]{1,6}){4} *$'
                 THEN parts[1]::int <= 0 OR EXISTS (SELECT 1 FROM generate_series(1, 4) i WHERE parts[i]::int >= parts[i + 1]::int)
                 ELSE true END) THEN
            PERFORM vl_raise('setting_star_thresholds_valid', 'star_thresholds_hours', shown, 'must be five increasing positive whole numbers of hours, like 100,300,600,1000,1500');
        END IF;
    ELSE
        NULL;
    END CASE;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION vl_user_set_display_name(p_login text, p_name text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM app_user WHERE login = p_login) THEN
        PERFORM vl_raise('app_user_exists', 'login', p_login, 'no such user of this database');
    END IF;
    IF p_name IS NOT NULL AND (btrim(p_name) = '' OR char_length(p_name) > 100) THEN
        PERFORM vl_raise('app_user_display_name_length', 'display_name', NULL, 'must be a name of 1 to 100 characters',
            jsonb_build_object('limit', '100'));
    END IF;
    UPDATE app_user SET display_name = btrim(p_name) WHERE login = p_login;
END
$$;

-- Security and settings as they were before the replacement.
DO $$
DECLARE
    k record;
    setting text;
BEGIN
    FOR k IN SELECT * FROM pg_temp.vl_0120_kept LOOP
        EXECUTE format('ALTER FUNCTION %s SECURITY %s', k.oid::regprocedure, CASE WHEN k.prosecdef THEN 'DEFINER' ELSE 'INVOKER' END);
        EXECUTE format('ALTER FUNCTION %s RESET ALL', k.oid::regprocedure);
        FOREACH setting IN ARRAY coalesce(k.proconfig, '{}') LOOP
            EXECUTE format('ALTER FUNCTION %s SET %s TO %s', k.oid::regprocedure, split_part(setting, '=', 1),
                           substr(setting, strpos(setting, '=') + 1));
        END LOOP;
    END LOOP;
END
$$;
