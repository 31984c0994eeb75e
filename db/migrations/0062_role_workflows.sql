-- Each role's whole workflow, as that role's own login (issue 10 §4).
--
-- 1. Community staff importing volunteers of their own district were refused ("volunteer 19 is
--    not of your district"). The import writes the volunteers and their first district rows in
--    one statement (VolunteerImport.insertStatement); the policy checks of volunteer_district
--    (0042) were STABLE, so they read the volunteer table as it stood before that statement and
--    did not find the volunteer being registered, nor its recorder. VOLATILE checks take a fresh
--    snapshot for each query they run and see the rows the same statement has written so far:
--    the rule itself is unchanged (theirs today, or being registered by them into their own
--    district).
ALTER FUNCTION vl_check_staff_volunteer(bigint, text) VOLATILE;
ALTER FUNCTION vl_check_staff_district_row(bigint, text, text) VOLATILE;

-- 2. Organisers checking a volunteer out, or closing an activity with open check-ins, were
--    refused ("permission denied for table volunteer"): the functions of 0021 keep the caller's
--    rights (the entry they write is recorded in the organiser's name) and lock the volunteer's
--    row with SELECT … FOR UPDATE, which needs UPDATE rights on volunteer that organisers do not
--    have. The lock (which serialises everything written for one volunteer, as the entry rules
--    of 0020 do) is now taken by an owner-rights function; the rest is as in 0021.
CREATE FUNCTION vl_lock_volunteer(p_volunteer bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    PERFORM 1 FROM volunteer WHERE id = p_volunteer FOR UPDATE;
END
$$;
REVOKE ALL ON FUNCTION vl_lock_volunteer(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_lock_volunteer(bigint) TO vledger_organiser, vledger_admin;

CREATE OR REPLACE FUNCTION vl_check_out(p_checkin bigint, p_at timestamptz) RETURNS bigint
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
    PERFORM vl_lock_volunteer(c.volunteer_id);
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

CREATE OR REPLACE FUNCTION vl_close_open_checkins(p_activity bigint) RETURNS int
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
        PERFORM vl_lock_volunteer(c.volunteer_id);
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
