-- Issue 11, section 4: no oracle for full ID numbers.
--
-- A masked ID number shows the area code and the last four characters; the birth date between
-- them is a small space (a few thousand candidates once the check digit is applied). Looking a
-- volunteer up by ID number stays possible (an organiser records hours for someone who shows
-- their card), but every lookup by ID number that finds nothing counts against the login, and
-- after id_lookup_misses_per_hour misses (a deployment setting, default 10) within the last hour
-- further lookups by ID number by that login are refused until the oldest of those misses is
-- an hour old. Admins are not limited. A staff member's lookup that finds a volunteer of their
-- own district (as it stands today) never counts and is answered even when the login is
-- limited: staff read those volunteers' ID numbers in full anyway, so the answer tells them
-- nothing new. A staff lookup that finds nothing is a miss like anyone else's (a miss has no
-- volunteer, so it belongs to no district).
--
-- THE LOGIN. The person the actor rules of 0070 name: session_user, or the person a service
-- login acts for (SET LOCAL ROLE person); a person acting as a group role is refused outright.
--
-- COUNTING THAT SURVIVES A ROLLBACK. PostgreSQL has no autonomous transactions (dblink is not
-- installed; a procedure may COMMIT only when it is neither SECURITY DEFINER nor has a SET clause,
-- and an invoker's procedure would have to call something the invoker can call directly). So a
-- miss recorded by the statement that answers it is undone by `BEGIN; lookup; ROLLBACK`, and
-- the answer is already out. Instead the answer is separated from the question:
--   1. SELECT vl_id_lookup_request(ARRAY[id numbers]) looks the keys up, decides for each
--      whether it is found, not found (a miss, counted) or refused, and writes that down
--      (id_lookup, id_lookup_answer, the login's budget row), returning only the lookup's id.
--      Its result and its errors are the same whatever the keys are: it reveals nothing.
--   2. SELECT * FROM vl_id_lookup_result(id) reveals the outcome, and only when the
--      transaction that wrote step 1 has COMMITTED (pg_xact_status of its top-level
--      transaction id; inside that very transaction it is 'in progress'). Only the login that
--      asked reads it.
-- Every answer that reveals a miss therefore rests on a committed miss: rolling step 1 back
-- leaves nothing to read, and committing it counts it. This holds against plain psql with no
-- help from the client; the CLI runs step 1 on a session of its own when it is inside a
-- transaction.
--
-- NOTHING IN STEP 1 DEPENDS ON THE OUTCOME, including what the asking transaction can see of
-- its own work: pg_stat_xact_user_tables (readable by every login) counts, per transaction, the
-- tuples each table's scans fetched and the rows written. So step 1 finds volunteers through
-- the masked form of the ID number (index volunteer_id_number_masked): it fetches every
-- volunteer sharing the key's area and last four characters, which the asker already knows,
-- and compares the full number only among the fetched rows, never in a scan condition. It
-- writes the same rows of the same widths whatever it found (0 for "no volunteer", one
-- outcome character a key, counts as integers), and updates the login's budget row exactly
-- once. Only the admin's lookups (not limited; the admin reads the volunteer table anyway)
-- skip the budget.
--
-- CONCURRENT LOOKUPS of one login are serialised on the login's row of id_lookup_budget: step 1
-- upserts it before counting the login's misses of the last hour from the committed answers.
-- Under READ COMMITTED the upsert waits for a concurrent lookup, and the count that follows (a
-- new snapshot) includes it; under REPEATABLE READ or SERIALIZABLE a budget row changed by a
-- lookup that committed after the snapshot makes the upsert fail with a serialization error,
-- so a stale snapshot never sees a smaller count. Parallel sessions cannot multiply the limit.
--
-- WHAT IS KEPT. id_lookup (audited): every lookup by ID number as asked, with its keys masked
-- and nothing that depends on what it found, because the office reads the audit trail and
-- could otherwise read its own lookup's outcome inside the transaction it then rolls back.
-- id_lookup_answer: each key's outcome and volunteer and the counts, read only through step 2
-- (and the admin). id_lookup_outcome (audited): those counts and the masked keys that found
-- nothing, written once the lookup has committed, by the login's next step (step 2, or its
-- next lookup). `hours anomalies` reads the committed answers through vl_id_lookup_hours().
-- Full ID numbers are never stored.
--
-- vl_volunteer_lookup(text) and vl_volunteer_lookup_many(text[]) (0042, 0051) keep answering
-- volunteer numbers; an ID number they now answer only for the admin and for staff when it is
-- a volunteer of their own district (no miss possible to hide: those callers read the volunteer
-- table itself), and refuse it for everyone else, pointing to the two steps.

SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_schema()), true);

-- Volunteers by masked ID number (area and last four characters), see above.
CREATE INDEX volunteer_id_number_masked ON volunteer (vl_mask_id_number(id_number));

-- The setting, validated when it is set.
INSERT INTO setting (name, value) VALUES ('id_lookup_misses_per_hour', '10') ON CONFLICT (name) DO NOTHING;

CREATE FUNCTION vl_setting_id_lookup_valid() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.name = 'id_lookup_misses_per_hour' AND (NEW.value !~ '^[0-9]{1,4}$' OR NEW.value::int > 1000) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'setting_id_lookup_misses_per_hour_valid',
            MESSAGE = format('vledger: setting id_lookup_misses_per_hour "%s": must be a whole number from 0 to 1000 (lookups by ID number that may find nothing within an hour)', NEW.value);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER setting_id_lookup_valid BEFORE INSERT OR UPDATE ON setting
    FOR EACH ROW EXECUTE FUNCTION vl_setting_id_lookup_valid();

CREATE FUNCTION vl_id_lookup_limit() RETURNS int
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(vl_setting('id_lookup_misses_per_hour')::int, 10) $$;

-- The person a lookup counts against (0070's actor rules).
CREATE FUNCTION vl_lookup_actor() RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    v_role text := current_setting('role');
BEGIN
    IF v_role = 'none' OR v_role = session_user THEN
        RETURN session_user;
    END IF;
    RETURN vl_actor_acting_as(v_role);
END
$$;

-- Every lookup by ID number, as asked. Nothing in it depends on what the lookup found: the
-- office reads the audit trail, and would otherwise read the outcome of its own lookup inside
-- the very transaction it then rolls back.
CREATE TABLE id_lookup (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recorded_by    text NOT NULL,             -- the person it counts against
    session_login  text NOT NULL,             -- session_user (a service login acting for recorded_by)
    keys           int NOT NULL,              -- ID numbers asked
    asked_keys     text[] NOT NULL,           -- masked, as listings show them
    limit_per_hour int NOT NULL,              -- the setting when asked
    exempt         text,                      -- 'admin' when not limited
    transaction_id xid8 NOT NULL,             -- answered once this has committed
    recorded_at    timestamptz NOT NULL
);
CREATE INDEX id_lookup_by_login ON id_lookup (recorded_by, recorded_at);
CREATE INDEX id_lookup_by_time ON id_lookup (recorded_at);

-- The outcome of each key, in order (f found, m missed, r refused), the volunteer when found
-- (0 otherwise: the same width either way), and the counts. Read only through
-- vl_id_lookup_result and, once committed, the listings.
CREATE TABLE id_lookup_answer (
    lookup_id     bigint PRIMARY KEY REFERENCES id_lookup (id),
    outcomes      text NOT NULL,
    volunteer_ids bigint[] NOT NULL,
    found         int NOT NULL,
    missed        int NOT NULL,              -- found nothing
    refused       int NOT NULL,              -- not looked up: the login was limited
    counted       int NOT NULL               -- misses counted against the limit (admins: 0)
);

-- The outcome of a lookup in the audit trail, written once the lookup has committed (by the
-- login's next step: reading the result, or its next lookup), so that it is never readable
-- inside the transaction that asked.
CREATE TABLE id_lookup_outcome (
    lookup_id   bigint PRIMARY KEY REFERENCES id_lookup (id),
    found       int NOT NULL,
    missed      int NOT NULL,
    refused     int NOT NULL,
    counted     int NOT NULL,
    missed_keys text[] NOT NULL,
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL
);

-- One row a login, updated by each of its lookups: the lock that serialises them (see above).
CREATE TABLE id_lookup_budget (
    login   text PRIMARY KEY,
    lookups bigint NOT NULL
);

SELECT vl_security_attach('id_lookup');
SELECT vl_security_attach('id_lookup_outcome');
SELECT vl_audit_attach('id_lookup');
SELECT vl_audit_attach('id_lookup_outcome');
SELECT vl_stamp_attach('id_lookup');
SELECT vl_stamp_attach('id_lookup_outcome');
SELECT vl_stamp_attach('id_lookup_answer');
SELECT vl_stamp_attach('id_lookup_budget');
-- Written only by the functions below (owner's rights); nobody has a write grant.
REVOKE ALL ON id_lookup_answer, id_lookup_budget FROM PUBLIC, vledger_staff, vledger_organiser, vledger_office, vledger_admin;
GRANT SELECT ON id_lookup_answer, id_lookup_budget TO vledger_admin;
CREATE TRIGGER id_lookup_fixed BEFORE UPDATE OR DELETE ON id_lookup
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();
CREATE TRIGGER id_lookup_answer_fixed BEFORE UPDATE OR DELETE ON id_lookup_answer
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();
CREATE TRIGGER id_lookup_outcome_fixed BEFORE UPDATE OR DELETE ON id_lookup_outcome
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

-- The office and the admin read every login's lookups (they read the audit trail, which holds
-- them anyway); everyone else reads their own.
ALTER TABLE id_lookup ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON id_lookup FOR SELECT TO vledger_office, vledger_admin USING (true);
CREATE POLICY own_read ON id_lookup FOR SELECT TO vledger_staff, vledger_organiser USING (recorded_by = current_user);
ALTER TABLE id_lookup_outcome ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON id_lookup_outcome FOR SELECT TO vledger_office, vledger_admin USING (true);
CREATE POLICY own_read ON id_lookup_outcome FOR SELECT TO vledger_staff, vledger_organiser USING (recorded_by = current_user);

-- The masked keys that found nothing.
CREATE FUNCTION vl_id_lookup_missed_keys(p_asked text[], p_outcomes text) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT coalesce(array_agg(u.k ORDER BY u.ord), '{}')
      FROM unnest(p_asked, string_to_array(p_outcomes, NULL)) WITH ORDINALITY AS u(k, o, ord)
     WHERE u.o = 'm'
$$;

-- Outcomes of a login's committed lookups into the audit trail (idempotent).
CREATE FUNCTION vl_id_lookup_settle(p_login text) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER
    AS $$
    INSERT INTO id_lookup_outcome (lookup_id, found, missed, refused, counted, missed_keys, recorded_by)
    SELECT l.id, a.found, a.missed, a.refused, a.counted, vl_id_lookup_missed_keys(l.asked_keys, a.outcomes), l.recorded_by
      FROM id_lookup l JOIN id_lookup_answer a ON a.lookup_id = l.id
     WHERE l.recorded_by = p_login
       AND NOT EXISTS (SELECT 1 FROM id_lookup_outcome o WHERE o.lookup_id = l.id)
       AND pg_xact_status(l.transaction_id) = 'committed'
     ORDER BY l.id
    ON CONFLICT (lookup_id) DO NOTHING
$$;

-- Step 1: look the keys up and write the outcome down. Returns the lookup's id only.
CREATE FUNCTION vl_id_lookup_request(p_keys text[]) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
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
        RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = 'vledger: vl_id_lookup_request: give an array of ID numbers';
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

-- The one line a refusal reads.
CREATE FUNCTION vl_id_lookup_refuse(p_login text, p_refused int, p_limit int) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    -- When the oldest counted miss of the hour falls out of it.
    v_until timestamptz := (SELECT min(l.recorded_at) + interval '1 hour'
                              FROM id_lookup l JOIN id_lookup_answer a ON a.lookup_id = l.id
                             WHERE l.recorded_by = p_login AND a.counted > 0 AND l.recorded_at > clock_timestamp() - interval '1 hour');
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'id_lookup_limited',
        MESSAGE = format('vledger: lookups by ID number refused for %s until %s: %s lookups by ID number found nothing within the hour (limit %s, setting id_lookup_misses_per_hour); use the volunteer number (%s not looked up)',
                         p_login,
                         coalesce(to_char(v_until AT TIME ZONE vl_time_zone(), 'YYYY-MM-DD HH24:MI'), 'the hour is over'),
                         p_limit, p_limit, p_refused);
END
$$;

-- Step 2: the outcome of each key, in the order asked (ordinal from 1), once step 1 has
-- committed. With p_partial false (the default) a lookup with any refused key is an error
-- (id_lookup_limited); with true the refused keys come back as 'refused'.
CREATE FUNCTION vl_id_lookup_result(p_lookup bigint, p_partial boolean DEFAULT false)
    RETURNS TABLE (ordinal int, outcome text, id bigint, number text, name text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
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
        RAISE EXCEPTION USING ERRCODE = 'no_data_found',
            MESSAGE = format('vledger: ID-number lookup %s: no such lookup by %s', p_lookup, v_actor);
    END IF;
    IF pg_xact_status(v_xact) IS DISTINCT FROM 'committed' THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state', CONSTRAINT = 'id_lookup_committed',
            MESSAGE = format('vledger: ID-number lookup %s is answered only after the transaction that asked it has committed (every lookup that finds nothing counts, rolled back or not): run SELECT vl_id_lookup_request(...) on its own, then read its result', p_lookup);
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

-- May this caller be answered about this ID number in one step? The admin always; staff when
-- it is a volunteer of their own district. Neither can hide a miss: they read the volunteer
-- table itself.
-- The district's volunteers are read whether or not the key found one (see above).
CREATE FUNCTION vl_id_lookup_direct(p_actor text, p_volunteers bigint[]) RETURNS boolean[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    v_own bigint[];
BEGIN
    IF vl_is_admin(p_actor) THEN
        RETURN array_fill(true, ARRAY[cardinality(p_volunteers)]);
    END IF;
    IF NOT pg_has_role(p_actor, 'vledger_staff', 'MEMBER') THEN
        RETURN array_fill(false, ARRAY[cardinality(p_volunteers)]);
    END IF;
    v_own := ARRAY(SELECT f.id FROM vl_district_volunteers(p_actor) AS f(id));
    RETURN ARRAY(SELECT coalesce(u.v IN (SELECT unnest(v_own)), false) FROM unnest(p_volunteers) WITH ORDINALITY AS u(v, ord) ORDER BY u.ord);
END
$$;

-- The volunteer of each ID number, found through the masked form only (see above): 0 for none.
CREATE FUNCTION vl_id_lookup_masked(p_keys text[]) RETURNS bigint[]
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT coalesce(array_agg(coalesce((SELECT max(CASE WHEN v.id_number = k.key THEN v.id END)
                                          FROM volunteer v WHERE vl_mask_id_number(v.id_number) = vl_mask_id_number(k.key)), 0)
                              ORDER BY k.ord), '{}')
      FROM unnest(p_keys) WITH ORDINALITY AS k(key, ord)
$$;

CREATE FUNCTION vl_id_lookup_two_steps(p_key text) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'id_lookup_two_steps',
        MESSAGE = format('vledger: ID number %s: look ID numbers up with SELECT vl_id_lookup_request(ARRAY[...]) and, once that has committed, SELECT * FROM vl_id_lookup_result(id) (lookups that find nothing are counted and limited)',
                         vl_mask_id_number(p_key));
END
$$;

-- 0042's lookup: volunteer numbers as before; ID numbers only where no miss can be hidden.
CREATE OR REPLACE FUNCTION vl_volunteer_lookup(p_key text)
    RETURNS TABLE (id bigint, number text, name text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    v_key text := upper(btrim(p_key));
    v_actor text;
    v_id bigint;
    v_direct boolean;
BEGIN
    IF v_key LIKE 'VL%' THEN
        RETURN QUERY SELECT v.id, v.number, v.name FROM volunteer v WHERE v.number = v_key;
        RETURN;
    END IF;
    v_actor := vl_lookup_actor();
    v_id := (vl_id_lookup_masked(ARRAY[v_key]))[1];
    v_direct := (vl_id_lookup_direct(v_actor, ARRAY[v_id]))[1];  -- whatever v_id is (see above)
    IF v_id = 0 OR NOT v_direct THEN
        IF NOT vl_is_admin(v_actor) THEN
            PERFORM vl_id_lookup_two_steps(v_key);
        END IF;
        RETURN;  -- the admin: no such volunteer
    END IF;
    RETURN QUERY SELECT v.id, v.number, v.name FROM volunteer v WHERE v.id = v_id;
END
$$;

-- 0051's bulk lookup: volunteer numbers as before; ID numbers only where no miss can be hidden.
CREATE OR REPLACE FUNCTION vl_volunteer_lookup_many(p_keys text[])
    RETURNS TABLE (key text, id bigint, number text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    v_actor text := vl_lookup_actor();
    v_bad text;
    v_ids text[];
    v_found bigint[] := '{}';
BEGIN
    IF vl_is_admin(v_actor) THEN
        RETURN QUERY
        SELECT k.key, v.id, v.number FROM unnest(p_keys) AS k(key) JOIN volunteer v ON v.number = k.key
        UNION ALL
        SELECT k.key, v.id, v.number FROM unnest(p_keys) AS k(key) JOIN volunteer v ON v.id_number = k.key;
        RETURN;
    END IF;
    -- ID numbers (any key but a volunteer number) are answered here only when every one is an
    -- own-district volunteer's: found through the masked form, the district read regardless.
    v_ids := ARRAY(SELECT k.key FROM unnest(p_keys) AS k(key) WHERE k.key NOT LIKE 'VL%');
    IF cardinality(v_ids) > 0 THEN
        v_found := vl_id_lookup_masked(v_ids);
        SELECT u.key INTO v_bad
          FROM unnest(v_ids, v_found, vl_id_lookup_direct(v_actor, v_found)) AS u(key, id, direct)
         WHERE u.id = 0 OR NOT u.direct
         LIMIT 1;
        IF FOUND THEN
            PERFORM vl_id_lookup_two_steps(v_bad);
        END IF;
    END IF;
    RETURN QUERY
    SELECT k.key, v.id, v.number FROM unnest(p_keys) AS k(key) JOIN volunteer v ON v.number = k.key
    UNION ALL
    SELECT u.key, v.id, v.number FROM unnest(v_ids, v_found) AS u(key, id) JOIN volunteer v ON v.id = u.id;
END
$$;

-- Per login and local hour, the committed lookups by ID number that found nothing or were
-- refused, for `hours anomalies`: every login's for the office and the admin, one's own otherwise.
CREATE FUNCTION vl_id_lookup_hours()
    RETURNS TABLE (login text, hour timestamptz, lookups bigint, keys bigint, missed bigint, refused bigint, limit_per_hour int, missed_keys text[])
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    WITH x AS (
        SELECT l.recorded_by AS login,
               date_trunc('hour', l.recorded_at AT TIME ZONE vl_time_zone()) AT TIME ZONE vl_time_zone() AS hour,
               l.keys, a.missed, a.refused, l.limit_per_hour, vl_id_lookup_missed_keys(l.asked_keys, a.outcomes) AS missed_keys
          FROM id_lookup l JOIN id_lookup_answer a ON a.lookup_id = l.id
         WHERE (a.missed > 0 OR a.refused > 0)
           AND pg_xact_status(l.transaction_id) = 'committed'
           AND (l.recorded_by = vl_lookup_actor()
                OR vl_is_admin(vl_lookup_actor()) OR pg_has_role(vl_lookup_actor(), 'vledger_office', 'MEMBER'))
    )
    SELECT x.login, x.hour, count(*), sum(x.keys), sum(x.missed), sum(x.refused), max(x.limit_per_hour),
           (SELECT coalesce(array_agg(DISTINCT m ORDER BY m), '{}') FROM x x2 CROSS JOIN LATERAL unnest(x2.missed_keys) AS m
             WHERE x2.login = x.login AND x2.hour = x.hour)
      FROM x
     GROUP BY x.login, x.hour
$$;

REVOKE ALL ON FUNCTION vl_setting_id_lookup_valid() FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_lookup_actor() FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_id_lookup_settle(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_id_lookup_request(text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_id_lookup_result(bigint, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_id_lookup_refuse(text, int, int) FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_id_lookup_direct(text, bigint[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_id_lookup_masked(text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_id_lookup_two_steps(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_id_lookup_hours() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_id_lookup_hours() TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;
GRANT EXECUTE ON FUNCTION vl_id_lookup_request(text[]) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;
GRANT EXECUTE ON FUNCTION vl_id_lookup_result(bigint, boolean) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;
