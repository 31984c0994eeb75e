-- Check-in and check-out: minutes computed from the clock, capped at the activity's end.
-- A forgotten check-out is the classic way hours pile up: when the activity closes, every open
-- check-in is closed at the activity's end with source auto_checkout, and so flagged for review.
-- Both tables are append-only like the ledger: a check-in is open while it has no check-out row.

CREATE TABLE hours_checkin (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    volunteer_id  bigint NOT NULL REFERENCES volunteer (id),
    activity_id   bigint NOT NULL REFERENCES activity (id),
    checked_in_at timestamptz NOT NULL,
    recorded_by   text NOT NULL DEFAULT current_user,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX hours_checkin_by_activity ON hours_checkin (activity_id);
CREATE INDEX hours_checkin_by_volunteer ON hours_checkin (volunteer_id, checked_in_at);

CREATE TABLE hours_checkout (
    checkin_id     bigint PRIMARY KEY REFERENCES hours_checkin (id),
    checked_out_at timestamptz NOT NULL,
    automatic      boolean NOT NULL,
    -- NULL when nothing was credited (under a minute, or an automatic check-out that could not
    -- be credited without breaking a rule: `note` says why).
    entry_id       bigint CONSTRAINT hours_checkout_entry_unique UNIQUE REFERENCES hours_entry (id),
    note           text,
    recorded_by    text NOT NULL DEFAULT current_user,
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION vl_hours_checkin_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    act record;
    open_id bigint;
    vol_number text;
BEGIN
    SELECT number INTO vol_number FROM volunteer WHERE id = NEW.volunteer_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM vl_rule('hours_volunteer_exists', format('volunteer "%s": no such volunteer', NEW.volunteer_id));
    END IF;
    SELECT id, starts_at, ends_at, closed_at INTO act FROM activity WHERE id = NEW.activity_id;
    IF NOT FOUND THEN
        PERFORM vl_rule('hours_activity_exists', format('activity "%s": no such activity', NEW.activity_id));
    END IF;
    IF act.closed_at IS NOT NULL THEN
        PERFORM vl_rule('hours_activity_open', format('activity "%s": closed; no more check-ins', act.id));
    END IF;
    IF NEW.checked_in_at < act.starts_at OR NEW.checked_in_at >= act.ends_at THEN
        PERFORM vl_rule('hours_inside_activity',
            format('at "%s": outside activity %s (%s to %s)', vl_local_text(NEW.checked_in_at), act.id,
                   vl_local_text(act.starts_at), vl_local_text(act.ends_at)));
    END IF;
    IF NEW.checked_in_at > now() THEN
        PERFORM vl_rule('hours_not_future', format('at "%s": in the future', vl_local_text(NEW.checked_in_at)));
    END IF;
    PERFORM vl_check_volunteer_serving(NEW.volunteer_id, vl_local_date(NEW.checked_in_at));
    SELECT c.id INTO open_id FROM hours_checkin c
     WHERE c.volunteer_id = NEW.volunteer_id AND NOT EXISTS (SELECT 1 FROM hours_checkout o WHERE o.checkin_id = c.id)
     ORDER BY c.volunteer_id, c.checked_in_at
     LIMIT 1;
    IF FOUND THEN
        PERFORM vl_rule('hours_checkin_single',
            format('volunteer "%s": already checked in (check-in %s); check out first', vol_number, open_id));
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION vl_hours_checkin_rules() SET enable_seqscan = off;

CREATE TRIGGER hours_checkin_rules BEFORE INSERT ON hours_checkin
    FOR EACH ROW EXECUTE FUNCTION vl_hours_checkin_rules();

CREATE TRIGGER hours_checkin_append_only BEFORE UPDATE OR DELETE ON hours_checkin
    FOR EACH ROW EXECUTE FUNCTION vl_refuse_ledger_change();
CREATE TRIGGER hours_checkout_append_only BEFORE UPDATE OR DELETE ON hours_checkout
    FOR EACH ROW EXECUTE FUNCTION vl_refuse_ledger_change();

-- Closes one check-in at p_at (capped at the activity's end) and credits the whole minutes
-- served as a pending entry. The request id ties the entry to the check-in: a check-out can
-- never be credited twice. Returns the entry id (NULL when under a minute was served).
CREATE FUNCTION vl_check_out(p_checkin bigint, p_at timestamptz) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
    c record;
    act record;
    until timestamptz;
    served int;
    new_id bigint;
BEGIN
    SELECT * INTO c FROM hours_checkin WHERE id = p_checkin;
    IF NOT FOUND THEN
        PERFORM vl_rule('hours_checkout_open', format('check-in "%s": no such check-in', p_checkin));
    END IF;
    PERFORM 1 FROM volunteer WHERE id = c.volunteer_id FOR UPDATE;
    IF EXISTS (SELECT 1 FROM hours_checkout WHERE checkin_id = p_checkin) THEN
        PERFORM vl_rule('hours_checkout_open', format('check-in "%s": already checked out', p_checkin));
    END IF;
    SELECT id, ends_at INTO act FROM activity WHERE id = c.activity_id;
    IF p_at < c.checked_in_at THEN
        PERFORM vl_rule('hours_checkout_open',
            format('at "%s": before the check-in at %s', vl_local_text(p_at), vl_local_text(c.checked_in_at)));
    END IF;
    IF p_at > now() THEN
        PERFORM vl_rule('hours_not_future', format('at "%s": in the future', vl_local_text(p_at)));
    END IF;
    until := least(p_at, act.ends_at);
    served := floor(extract(epoch FROM (until - c.checked_in_at)) / 60)::int;
    IF served > 0 THEN
        INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, request_id, source)
        VALUES (c.volunteer_id, c.activity_id, c.checked_in_at, served, 'checkin:' || p_checkin, 'checkout')
        RETURNING id INTO new_id;
    END IF;
    INSERT INTO hours_checkout (checkin_id, checked_out_at, automatic, entry_id, note)
    VALUES (p_checkin, p_at, false, new_id,
            CASE WHEN p_at > act.ends_at THEN 'capped at the activity end' END);
    RETURN new_id;
END
$$;

-- Closes every open check-in of an activity at its end (or now, or the start of the volunteer's
-- next entry, whichever is first), as pending auto_checkout entries. An automatic check-out that
-- breaks a rule (overlap, range) is closed without credit and says why: never left open.
-- Returns the number of check-ins closed.
CREATE FUNCTION vl_close_open_checkins(p_activity bigint) RETURNS int
    LANGUAGE plpgsql
    AS $$
DECLARE
    c record;
    act record;
    until timestamptz;
    next_start timestamptz;
    served int;
    new_id bigint;
    why text;
    closed int := 0;
BEGIN
    SELECT id, ends_at INTO act FROM activity WHERE id = p_activity;
    FOR c IN
        SELECT h.* FROM hours_checkin h
         WHERE h.activity_id = p_activity AND NOT EXISTS (SELECT 1 FROM hours_checkout o WHERE o.checkin_id = h.id)
         ORDER BY h.volunteer_id, h.id
    LOOP
        PERFORM 1 FROM volunteer WHERE id = c.volunteer_id FOR UPDATE;
        SELECT min(e.service_start) INTO next_start FROM hours_entry e
         WHERE e.volunteer_id = c.volunteer_id AND e.service_start > c.checked_in_at AND e.corrects_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM hours_decision d WHERE d.entry_id = e.id AND d.decision = 'rejected');
        until := least(act.ends_at, now(), coalesce(next_start, 'infinity'));
        served := floor(extract(epoch FROM (until - c.checked_in_at)) / 60)::int;
        new_id := NULL;
        why := 'check-out forgotten: closed automatically';
        IF served > 0 THEN
            BEGIN
                INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, request_id, source)
                VALUES (c.volunteer_id, c.activity_id, c.checked_in_at, served, 'checkin:' || c.id, 'auto_checkout')
                RETURNING id INTO new_id;
            EXCEPTION WHEN check_violation THEN
                why := 'check-out forgotten: closed automatically without credit (' || SQLERRM || ')';
            END;
        END IF;
        INSERT INTO hours_checkout (checkin_id, checked_out_at, automatic, entry_id, note)
        VALUES (c.id, until, true, new_id, why);
        closed := closed + 1;
    END LOOP;
    RETURN closed;
END
$$;

-- Closing an activity by any path closes its open check-ins in the same transaction.
CREATE FUNCTION vl_activity_closed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM vl_close_open_checkins(NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER activity_closed AFTER UPDATE OF closed_at ON activity
    FOR EACH ROW WHEN (OLD.closed_at IS NULL AND NEW.closed_at IS NOT NULL)
    EXECUTE FUNCTION vl_activity_closed();
