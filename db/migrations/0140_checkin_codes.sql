-- Check-in that proves presence (issue 13): a volunteer checks themselves in and out on their own
-- phone with their volunteer number, the last 4 digits of their phone and the 6-digit code the
-- organiser's screen shows.
--
-- THE CODE. Each activity has a random secret (activity_checkin_secret), made on the first code
-- asked for it and read only by the owner-rights functions below: no day-to-day role has any
-- grant on it, and it is not audited (the trail is read by the office and the admin). The code of
-- a 30-second slot is the HMAC-SHA256 of "activity:action:slot" under that secret, truncated to
-- 6 digits as HOTP does (RFC 4226 §5.3). It is accepted in its own slot and the next one only, and
-- only from 30 minutes before the activity's start to 30 minutes after its end. HMAC is written
-- here on PostgreSQL's built-in sha256() rather than pgcrypto's hmac(): pgcrypto is in Debian's
-- postgresql package, but CREATE EXTENSION needs the database's CREATE right, which a city's
-- migrating login need not have; vl_hmac_sha256 is checked against RFC 4231's vectors in tests.
--
-- WRONG TRIES THAT SURVIVE A ROLLBACK. A self check-in is two calls in two transactions:
--   1. vl_self_checkin_attempt(...) checks everything (lock, number and phone digits, window,
--      code) and records the attempt with its verdict in checkin_attempt, answering only its id;
--   2. vl_self_checkin_complete(id), in a later transaction, refuses unless the attempt's
--      transaction has committed, then answers the verdict: it raises the refusal, or writes the
--      check-in or check-out.
-- Nothing about a try is known before the try is committed, so a client that rolls back learns
-- nothing; the lock counts committed wrong tries, whatever became of step 2.
-- Five wrong tries (number/phone or code) for one volunteer number on one activity within 10
-- minutes lock its self check-in there (both actions) for 10 minutes from the fifth.
--
-- WHO IS RECORDED. Self check-ins come through the HTTP service login without a person
-- (SPEC: no session). The rows are written by that login, as 0070 says the actor is: recorded_by
-- is the service login (or the owner, from a shell), never an organiser; source = 'code' and
-- code_attempt_id (the try: its time, client address) say the volunteer did it themselves. The
-- actor rule of 0070 refuses writes by a service login that acts for no person; it now lets
-- through exactly the writes made while vl_self_checkin_complete runs (a token only that function
-- can compute, holding only while it runs). Only members of vledger_service (and the owner) may
-- call the two functions: an organiser cannot check a volunteer in "by code" from psql.
--
-- SOURCES. hours_checkin.source: 'tap' (an organiser or the owner checked the volunteer in by
-- number or name, `hours check-in`), 'code' (the volunteer, by code). hours_checkout.source: the
-- same, or 'auto' (never checked out: closed at the activity's end by vl_close_open_checkins,
-- flagged with its note as before). 'code' is set only by vl_self_checkin_complete; a client
-- sending it is refused. Rows written before this migration have no source (NULL): all were taps
-- or automatic (hours_checkout.automatic says which).
--
-- HOURS. A code check-in before the start counts from the start (checked_in_at is the later of
-- the server's clock and the start; the try keeps the clock's time); a check-out is capped at the
-- end (vl_check_out). The entry is pending, unless the setting code_checkin_approval is
-- 'automatic_up_to_8h' and the volunteer's approved minutes on that day stay within 8 hours with
-- it: then it is approved at once, decided by the writer (the service login). More than 8 hours a
-- day always waits for an organiser.
--
-- REPLACED FUNCTIONS of other migrations, each with one change: vl_actor_check (0070: the way
-- through above) and vl_hours_checkin_problem (0050: the not-future rule lets an early code
-- check-in start at the activity's start, which is still ahead).

SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_schema()), true);

-- HMAC-SHA256 (RFC 2104) on the built-in sha256().
CREATE FUNCTION vl_hmac_sha256(p_key bytea, p_message bytea) RETURNS bytea
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$
DECLARE
    k bytea := CASE WHEN length(p_key) > 64 THEN sha256(p_key) ELSE p_key END;
    inner_key bytea;
    outer_key bytea;
BEGIN
    k := k || decode(repeat('00', 64 - length(k)), 'hex');
    inner_key := k;
    outer_key := k;
    FOR i IN 0..63 LOOP
        inner_key := set_byte(inner_key, i, get_byte(k, i) # 54);   -- 0x36
        outer_key := set_byte(outer_key, i, get_byte(k, i) # 92);   -- 0x5c
    END LOOP;
    RETURN sha256(outer_key || sha256(inner_key || p_message));
END
$$;

CREATE TABLE activity_checkin_secret (
    activity_id bigint PRIMARY KEY REFERENCES activity (id),
    secret      bytea NOT NULL CONSTRAINT activity_checkin_secret_length CHECK (length(secret) = 32),
    created_at  timestamptz NOT NULL
);
SELECT vl_stamp_attach('activity_checkin_secret');
REVOKE ALL ON activity_checkin_secret FROM PUBLIC, vledger_staff, vledger_organiser, vledger_office, vledger_admin;

-- Every try of a self check-in or check-out, with what was found (never the phone digits nor
-- the code sent).
CREATE TABLE checkin_attempt (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id      bigint NOT NULL REFERENCES activity (id),
    -- As sent (bounded), so that tries on a number that does not exist are counted too.
    volunteer_number text NOT NULL CONSTRAINT checkin_attempt_number_length CHECK (length(volunteer_number) <= 40),
    volunteer_id     bigint REFERENCES volunteer (id),
    action           text NOT NULL CONSTRAINT checkin_attempt_action_known CHECK (action IN ('in', 'out')),
    -- ok, or the refusal: checkin_locked, checkin_identity (no such number, or the phone digits
    -- differ: one answer), checkin_window, checkin_code_wrong, hours_volunteer_registered,
    -- hours_volunteer_deregistered.
    verdict          text NOT NULL,
    -- The slot whose code was sent (ok only).
    code_slot        bigint,
    attempted_at     timestamptz NOT NULL,
    client_address   inet,
    transaction_id   xid8 NOT NULL DEFAULT pg_current_xact_id(),
    recorded_by      text NOT NULL,
    recorded_at      timestamptz NOT NULL
);
CREATE INDEX checkin_attempt_recent ON checkin_attempt (activity_id, volunteer_number, attempted_at);
SELECT vl_stamp_attach('checkin_attempt');
-- Written only by vl_self_checkin_attempt (owner's rights; no role has a write grant), and by
-- design by the service login acting for no person, which 0070's statement check refuses: the
-- who/when columns are still set by the database (recorded_by: the service login).
DROP TRIGGER _vl_actor ON checkin_attempt;
SELECT vl_audit_attach('checkin_attempt');
REVOKE ALL ON checkin_attempt FROM PUBLIC, vledger_staff, vledger_organiser, vledger_office, vledger_admin;
GRANT SELECT ON checkin_attempt TO vledger_office, vledger_admin;
CREATE TRIGGER checkin_attempt_fixed BEFORE UPDATE OR DELETE ON checkin_attempt
    FOR EACH ROW EXECUTE FUNCTION vl_refuse_ledger_change();

ALTER TABLE hours_checkin ADD COLUMN source text,
    ADD COLUMN code_attempt_id bigint CONSTRAINT hours_checkin_code_attempt_unique UNIQUE REFERENCES checkin_attempt (id);
ALTER TABLE hours_checkin ADD CONSTRAINT hours_checkin_source_known
    CHECK (source IS NOT NULL AND source IN ('tap', 'code') AND (source = 'code') = (code_attempt_id IS NOT NULL)) NOT VALID;
ALTER TABLE hours_checkout ADD COLUMN source text,
    ADD COLUMN code_attempt_id bigint CONSTRAINT hours_checkout_code_attempt_unique UNIQUE REFERENCES checkin_attempt (id);
ALTER TABLE hours_checkout ADD CONSTRAINT hours_checkout_source_known
    CHECK (source IS NOT NULL AND source IN ('tap', 'code', 'auto') AND (source = 'code') = (code_attempt_id IS NOT NULL)
           AND (source = 'auto') = automatic) NOT VALID;

-- Deployment setting code_checkin_approval: whether code check-ins wait for an organiser
-- ('organiser', also when the setting is absent) or are approved at once up to 8 h a day.

CREATE FUNCTION vl_setting_checkin_valid() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.value NOT IN ('organiser', 'automatic_up_to_8h') THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'setting_code_checkin_approval_valid',
            MESSAGE = format('vledger: code_checkin_approval "%s": must be organiser (every code check-in waits for approval) or automatic_up_to_8h (approved at once up to 8 hours a day)',
                             left(NEW.value, 60));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER setting_checkin_valid BEFORE INSERT OR UPDATE OF name, value ON setting
    FOR EACH ROW WHEN (NEW.name = 'code_checkin_approval') EXECUTE FUNCTION vl_setting_checkin_valid();

-- Raises p unless it is NULL (vl_raise_problem of 0050 is for a problem there is).
CREATE FUNCTION vl_raise_if(p vl_problem) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF p.rule IS NOT NULL THEN
        PERFORM vl_raise_problem(p);
    END IF;
END
$$;

-- THE CODE --------------------------------------------------------------------------------------

CREATE FUNCTION vl_checkin_slot(p_at timestamptz) RETURNS bigint
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT floor(extract(epoch FROM p_at) / 30)::bigint $$;

CREATE FUNCTION vl_checkin_code_of(p_secret bytea, p_activity bigint, p_action text, p_slot bigint) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$
DECLARE
    mac bytea := vl_hmac_sha256(p_secret, convert_to(format('%s:%s:%s', p_activity, p_action, p_slot), 'UTF8'));
    o int := get_byte(mac, 31) & 15;
    bin bigint := ((get_byte(mac, o) & 127)::bigint << 24) | (get_byte(mac, o + 1)::bigint << 16)
                  | (get_byte(mac, o + 2)::bigint << 8) | get_byte(mac, o + 3)::bigint;
BEGIN
    RETURN lpad((bin % 1000000)::text, 6, '0');
END
$$;

-- The activity's secret, made on first use (owner's rights: nobody else reads or writes it).
CREATE FUNCTION vl_checkin_secret(p_activity bigint) RETURNS bytea
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    s bytea;
BEGIN
    SELECT secret INTO s FROM activity_checkin_secret WHERE activity_id = p_activity;
    IF NOT FOUND THEN
        -- gen_random_uuid() draws from pg_strong_random(); two of them, hashed, are 32 bytes.
        INSERT INTO activity_checkin_secret (activity_id, secret)
        VALUES (p_activity, sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())))
        ON CONFLICT (activity_id) DO NOTHING;
        SELECT secret INTO s FROM activity_checkin_secret WHERE activity_id = p_activity;
    END IF;
    RETURN s;
END
$$;
REVOKE ALL ON FUNCTION vl_checkin_secret(bigint) FROM PUBLIC;

-- Refuses an unknown activity (404 to the service) or a closed one.
CREATE FUNCTION vl_checkin_activity(p_activity bigint) RETURNS activity
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    a activity;
BEGIN
    SELECT * INTO a FROM activity WHERE id = p_activity;
    IF NOT FOUND THEN
        PERFORM vl_raise_problem(vl_problem_of('checkin_activity_unknown', 'activity', p_activity::text, 'no such activity'));
    END IF;
    IF a.closed_at IS NOT NULL THEN
        PERFORM vl_raise_problem(vl_problem_of('hours_activity_open', 'activity', a.id::text,
            format('closed at %s; no more check-ins', vl_local_text(a.closed_at))));
    END IF;
    RETURN a;
END
$$;
REVOKE ALL ON FUNCTION vl_checkin_activity(bigint) FROM PUBLIC;

CREATE FUNCTION vl_checkin_window_problem(a activity, p_at timestamptz) RETURNS vl_problem
    LANGUAGE sql STABLE
    AS $$
    SELECT CASE WHEN p_at < a.starts_at - interval '30 minutes' OR p_at > a.ends_at + interval '30 minutes' THEN
        vl_problem_of('checkin_window', 'at', vl_local_text(p_at),
            format('codes of activity %s are accepted from %s to %s', a.id,
                   vl_local_text(a.starts_at - interval '30 minutes'), vl_local_text(a.ends_at + interval '30 minutes')))
    END
$$;

-- Only the owner may name another time than the server's clock (tests, and checks from a shell).
CREATE FUNCTION vl_checkin_time(p_at timestamptz) RETURNS timestamptz
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
BEGIN
    IF p_at IS NULL THEN
        RETURN clock_timestamp();
    END IF;
    IF NOT pg_has_role(session_user, current_user, 'MEMBER') OR current_setting('role') NOT IN ('none', session_user::text) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'checkin_time_owner',
            MESSAGE = 'vledger: at: only the database owner names the time of a check-in code; everyone else gets the server''s clock';
    END IF;
    RETURN p_at;
END
$$;
REVOKE ALL ON FUNCTION vl_checkin_time(timestamptz) FROM PUBLIC;

-- The current code of an activity, for an organiser of it (its owner or an added organiser), the
-- admin or the owner. valid_until: it is accepted before then (the end of the next slot, or the
-- end of the window).
CREATE FUNCTION vl_checkin_code(p_activity bigint, p_action text, p_at timestamptz DEFAULT NULL,
                                OUT code text, OUT action text, OUT valid_until timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    a activity;
    actor text := vl_lookup_actor();
    t timestamptz := vl_checkin_time(p_at);
    slot bigint := vl_checkin_slot(t);
BEGIN
    IF p_action IS NULL OR p_action NOT IN ('in', 'out') THEN
        PERFORM vl_raise_problem(vl_problem_of('checkin_action_known', 'action', left(p_action, 20), 'must be in or out'));
    END IF;
    a := vl_checkin_activity(p_activity);
    IF NOT (vl_may_organise(a.id, actor) OR vl_is_admin(actor)) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'checkin_code_organiser',
            MESSAGE = format('vledger: activity "%s": %s is not an organiser of it; only its organisers see its check-in code', a.id, actor);
    END IF;
    PERFORM vl_raise_if(vl_checkin_window_problem(a, t));
    code := vl_checkin_code_of(vl_checkin_secret(a.id), a.id, p_action, slot);
    action := p_action;
    valid_until := least(to_timestamp((slot + 2) * 30), a.ends_at + interval '30 minutes');
END
$$;
REVOKE ALL ON FUNCTION vl_checkin_code(bigint, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_checkin_code(bigint, text, timestamptz) TO vledger_organiser, vledger_admin;

-- STEP 1: THE TRY -------------------------------------------------------------------------------

CREATE FUNCTION vl_self_checkin_attempt(p_activity bigint, p_volunteer text, p_phone_last4 text, p_code text,
                                        p_action text, p_client_address inet, p_at timestamptz DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    a activity;
    t timestamptz := vl_checkin_time(p_at);
    v_sent text := upper(left(btrim(coalesce(p_volunteer, '')), 40));
    v record;
    verdict text;
    slot bigint;
    secret bytea;
    locked boolean;
    new_id bigint;
BEGIN
    IF p_action IS NULL OR p_action NOT IN ('in', 'out') THEN
        PERFORM vl_raise_problem(vl_problem_of('checkin_action_known', 'action', left(p_action, 20), 'must be in or out'));
    END IF;
    a := vl_checkin_activity(p_activity);
    -- Tries on one number and activity take turns, so that five concurrent tries count as five.
    PERFORM pg_advisory_xact_lock(hashtextextended(format('vledger.checkin:%s:%s', a.id, v_sent), 0));
    -- Locked for 10 minutes from a wrong try that was the fifth within 10 minutes.
    locked := EXISTS (
        SELECT 1 FROM checkin_attempt f
         WHERE f.activity_id = a.id AND f.volunteer_number = v_sent
           AND f.attempted_at > t - interval '10 minutes' AND f.attempted_at <= t
           AND f.verdict IN ('checkin_identity', 'checkin_code_wrong')
           AND (SELECT count(*) FROM checkin_attempt g
                 WHERE g.activity_id = a.id AND g.volunteer_number = v_sent
                   AND g.attempted_at > f.attempted_at - interval '10 minutes' AND g.attempted_at <= f.attempted_at
                   AND g.verdict IN ('checkin_identity', 'checkin_code_wrong')) >= 5);
    SELECT id, phone INTO v FROM volunteer WHERE volunteer.number = v_sent;
    IF locked THEN
        verdict := 'checkin_locked';
    ELSIF v.id IS NULL OR p_phone_last4 IS NULL OR right(v.phone, 4) <> p_phone_last4 THEN
        verdict := 'checkin_identity';
    ELSIF (vl_checkin_window_problem(a, t)).rule IS NOT NULL THEN  -- (a composite IS NOT NULL needs every field)
        verdict := 'checkin_window';
    ELSE
        secret := (SELECT s.secret FROM activity_checkin_secret s WHERE s.activity_id = a.id);
        slot := vl_checkin_slot(t);
        IF secret IS NOT NULL AND p_code = vl_checkin_code_of(secret, a.id, p_action, slot) THEN
            verdict := 'ok';
        ELSIF secret IS NOT NULL AND p_code = vl_checkin_code_of(secret, a.id, p_action, slot - 1) THEN
            verdict := 'ok';
            slot := slot - 1;
        ELSE
            verdict := 'checkin_code_wrong';
            slot := NULL;
        END IF;
        IF verdict = 'ok' THEN
            verdict := coalesce((vl_volunteer_serving_problem(v.id, (t AT TIME ZONE vl_time_zone())::date)).rule, 'ok');
        END IF;
    END IF;
    INSERT INTO checkin_attempt (activity_id, volunteer_number, volunteer_id, action, verdict, code_slot, attempted_at, client_address)
    VALUES (a.id, v_sent, CASE WHEN verdict <> 'checkin_identity' THEN v.id END, p_action, verdict,
            CASE WHEN verdict = 'ok' THEN slot END, t, p_client_address)
    RETURNING id INTO new_id;
    RETURN new_id;
END
$$;
REVOKE ALL ON FUNCTION vl_self_checkin_attempt(bigint, text, text, text, text, inet, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_self_checkin_attempt(bigint, text, text, text, text, inet, timestamptz) TO vledger_service;

-- STEP 2: THE ANSWER ----------------------------------------------------------------------------

-- The token that lets writes through the actor rule while vl_self_checkin_complete runs: the
-- HMAC of the transaction and the attempt under the activity's secret, "attempt:hex" in the
-- setting vledger.self_checkin. Returns the attempt it is valid for, else NULL.
CREATE FUNCTION vl_self_checkin_writing() RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    token text := current_setting('vledger.self_checkin', true);
    attempt bigint;
    secret bytea;
BEGIN
    IF token IS NULL OR token !~ '^[0-9]{1,18}:[0-9a-f]{64}$' THEN
        RETURN NULL;
    END IF;
    attempt := split_part(token, ':', 1)::bigint;
    SELECT s.secret INTO secret FROM checkin_attempt x JOIN activity_checkin_secret s ON s.activity_id = x.activity_id WHERE x.id = attempt;
    IF secret IS NOT NULL
       AND split_part(token, ':', 2) = encode(vl_hmac_sha256(secret, convert_to(format('%s:%s', pg_current_xact_id(), attempt), 'UTF8')), 'hex') THEN
        RETURN attempt;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION vl_self_checkin_writing() FROM PUBLIC;

-- 0122's actor rule (0070's, raising with its code), with one more way through: a write made while vl_self_checkin_complete
-- runs (only on the path that refused before; the common path is unchanged).
CREATE OR REPLACE FUNCTION vl_actor_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
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
    IF vl_self_checkin_writing() IS NOT NULL THEN
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

-- Sources of check-ins and check-outs (see the top). BEFORE INSERT, after the stamp.
CREATE FUNCTION vl_checkin_source() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    attempt bigint;
BEGIN
    IF NEW.source = 'code' OR NEW.code_attempt_id IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'checkin_source_code',
            MESSAGE = 'vledger: source "code": written only by the volunteer''s own check-in with a code (vl_self_checkin_complete)';
    END IF;
    attempt := vl_self_checkin_writing();
    IF attempt IS NOT NULL THEN
        NEW.source := 'code';
        NEW.code_attempt_id := attempt;
    ELSIF TG_TABLE_NAME = 'hours_checkout' THEN
        -- (NEW.automatic exists only here: a separate IF, not one expression.)
        IF NEW.automatic THEN
            NEW.source := coalesce(NEW.source, 'auto');
        ELSE
            NEW.source := coalesce(NEW.source, 'tap');
        END IF;
    ELSE
        NEW.source := coalesce(NEW.source, 'tap');
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION vl_checkin_source() FROM PUBLIC;
-- Named to fire after _vl_stamp and before the rules (triggers fire in name order).
CREATE TRIGGER _vl_zsource BEFORE INSERT ON hours_checkin FOR EACH ROW EXECUTE FUNCTION vl_checkin_source();
CREATE TRIGGER _vl_zsource BEFORE INSERT ON hours_checkout FOR EACH ROW EXECUTE FUNCTION vl_checkin_source();

CREATE FUNCTION vl_self_checkin_complete(p_attempt bigint,
                                         OUT checkin_id bigint, OUT action text, OUT at timestamptz,
                                         OUT entry_id bigint, OUT minutes int, OUT approved boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    x checkin_attempt;
    a activity;
    secret bytea;
    open_id bigint;
    day date;
    approved_today bigint;
BEGIN
    SELECT * INTO x FROM checkin_attempt WHERE id = p_attempt;
    IF NOT FOUND THEN
        PERFORM vl_raise_problem(vl_problem_of('checkin_attempt_unknown', 'attempt', p_attempt::text, 'no such try'));
    END IF;
    IF pg_xact_status(x.transaction_id) IS DISTINCT FROM 'committed' THEN
        PERFORM vl_raise_problem(vl_problem_of('checkin_attempt_uncommitted', 'attempt', p_attempt::text,
            'the try must be committed before it is answered'));
    END IF;
    IF x.recorded_at < clock_timestamp() - interval '2 minutes' THEN
        PERFORM vl_raise_problem(vl_problem_of('checkin_attempt_stale', 'attempt', p_attempt::text, 'answered only within 2 minutes of the try'));
    END IF;
    IF x.verdict = 'checkin_locked' THEN
        PERFORM vl_raise_problem(vl_problem_of('checkin_locked', 'volunteer', x.volunteer_number,
            'too many wrong tries: self check-in on this activity is locked for 10 minutes'));
    ELSIF x.verdict = 'checkin_identity' THEN
        PERFORM vl_raise_problem(vl_problem_of('checkin_identity', 'volunteer', x.volunteer_number,
            'no volunteer with this number and these last 4 phone digits'));
    ELSIF x.verdict = 'checkin_code_wrong' THEN
        PERFORM vl_raise_problem(vl_problem_of('checkin_code_wrong', 'checkin_code', NULL, 'not the code shown now (codes change every 30 seconds)'));
    END IF;
    a := vl_checkin_activity(x.activity_id);
    IF x.verdict = 'checkin_window' THEN
        PERFORM vl_raise_if(vl_checkin_window_problem(a, x.attempted_at));
    ELSIF x.verdict <> 'ok' THEN
        PERFORM vl_raise_if(vl_volunteer_serving_problem(x.volunteer_id, (x.attempted_at AT TIME ZONE vl_time_zone())::date));
        PERFORM vl_raise_problem(vl_problem_of(x.verdict, 'volunteer', x.volunteer_number, 'refused'));
    END IF;
    PERFORM vl_lock_volunteer(x.volunteer_id);
    -- A code works once per volunteer and action.
    IF EXISTS (SELECT 1 FROM checkin_attempt y
                WHERE y.activity_id = x.activity_id AND y.volunteer_id = x.volunteer_id AND y.action = x.action
                  AND y.code_slot = x.code_slot AND y.id <> x.id
                  AND (EXISTS (SELECT 1 FROM hours_checkin c WHERE c.code_attempt_id = y.id)
                       OR EXISTS (SELECT 1 FROM hours_checkout o WHERE o.code_attempt_id = y.id)))
       OR EXISTS (SELECT 1 FROM hours_checkin c WHERE c.code_attempt_id = x.id)
       OR EXISTS (SELECT 1 FROM hours_checkout o WHERE o.code_attempt_id = x.id) THEN
        PERFORM vl_raise_problem(vl_problem_of('checkin_code_used', 'checkin_code', NULL,
            'already used by this volunteer; wait for the next code'));
    END IF;

    secret := vl_checkin_secret(a.id);
    PERFORM set_config('vledger.self_checkin',
        format('%s:%s', x.id, encode(vl_hmac_sha256(secret, convert_to(format('%s:%s', pg_current_xact_id(), x.id), 'UTF8')), 'hex')), true);
    action := x.action;
    approved := false;
    IF x.action = 'in' THEN
        at := greatest(x.attempted_at, a.starts_at);
        INSERT INTO hours_checkin (volunteer_id, activity_id, checked_in_at) VALUES (x.volunteer_id, a.id, at)
        RETURNING id INTO checkin_id;
    ELSE
        SELECT c.id, c.checked_in_at INTO open_id, at FROM hours_checkin c
         WHERE c.volunteer_id = x.volunteer_id AND c.activity_id = a.id
           AND NOT EXISTS (SELECT 1 FROM hours_checkout o WHERE o.checkin_id = c.id)
         ORDER BY c.id DESC LIMIT 1;
        IF open_id IS NULL THEN
            PERFORM vl_raise_problem(vl_problem_of('checkin_not_open', 'volunteer', x.volunteer_number,
                format('not checked in to activity %s', a.id)));
        END IF;
        checkin_id := open_id;
        at := greatest(x.attempted_at, at);
        entry_id := vl_check_out(open_id, at);
        minutes := coalesce((SELECT e.minutes FROM hours_entry e WHERE e.id = entry_id), 0);
        IF entry_id IS NOT NULL AND vl_setting('code_checkin_approval') = 'automatic_up_to_8h' THEN
            day := ((SELECT e.service_start FROM hours_entry e WHERE e.id = entry_id) AT TIME ZONE vl_time_zone())::date;
            SELECT coalesce(sum(x2.approved_net), 0) INTO approved_today FROM hours_entry_extent x2
             WHERE x2.volunteer_id = x.volunteer_id
               AND x2.service_start >= (day::timestamp AT TIME ZONE vl_time_zone())
               AND x2.service_start < ((day + 1)::timestamp AT TIME ZONE vl_time_zone());
            IF approved_today + minutes <= 480 THEN
                BEGIN
                    INSERT INTO hours_decision (entry_id, decision) VALUES (entry_id, 'approved');
                    approved := true;
                EXCEPTION WHEN check_violation THEN
                    approved := false;  -- a rule keeps it for an organiser to decide
                END;
            END IF;
        END IF;
    END IF;
    -- Cleared on the way out; a refusal on the way reverts it with the failed (sub)transaction.
    -- (Not a SET clause of the function: a non-superuser owner may not set a placeholder so.)
    PERFORM set_config('vledger.self_checkin', '', true);
END
$$;
REVOKE ALL ON FUNCTION vl_self_checkin_complete(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_self_checkin_complete(bigint) TO vledger_service;

-- 0120's check-in rules (0050's, with their arguments), one condition changed: a volunteer who checks in by code before the
-- start (the window opens 30 minutes early) is checked in from the start, which is still ahead.
-- Only vl_self_checkin_complete writes source 'code' (vl_checkin_source).
CREATE OR REPLACE FUNCTION vl_hours_checkin_problem(n hours_checkin) RETURNS vl_problem
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
            format('closed at %s; no more check-ins', vl_local_text(act.closed_at)),
            p_args => jsonb_build_object('activity', act.id::text, 'closed_at', vl_local_text(act.closed_at)));
    END IF;
    IF n.checked_in_at < act.starts_at OR n.checked_in_at >= act.ends_at THEN
        RETURN vl_problem_of('hours_inside_activity', 'at', vl_local_text(n.checked_in_at),
            format('outside activity %s (%s to %s)', act.id, vl_local_text(act.starts_at), vl_local_text(act.ends_at)),
            p_args => jsonb_build_object('activity', act.id::text, 'activity_start', vl_local_text(act.starts_at),
                                         'activity_end', vl_local_text(act.ends_at)));
    END IF;
    IF n.checked_in_at > now() AND NOT (n.source = 'code' AND n.checked_in_at = act.starts_at) THEN
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

SELECT count(*) AS pinned FROM vl_pin_search_path();
