-- No registration oracle for full ID numbers (issue 11 §4, the hole 0090 left open).
--
-- 0090 made lookups by ID number count, rolled back or not. Registration was a second way to ask
-- the same question: a staff member who knows a volunteer's masked ID number (the area and the
-- last four characters, shown in listings) could run
--     BEGIN; INSERT INTO volunteer (…, id_number, …) VALUES (…, candidate, …); ROLLBACK;
-- for each of the few thousand birth dates the mask hides, and the unique constraint answered
-- "already registered" for the right one, uncounted.
--
-- So registering an ID number takes two steps, as looking one up does:
--   1. SELECT vl_registration_check(ARRAY[id numbers]) records, for the login, that it is about
--      to register these numbers. It looks at nothing but the login's own earlier checks: its
--      result and its errors are the same whatever is registered. A login may check at most
--      registration_checks_per_key_per_day (default 5) different numbers sharing one masked form
--      within 24 hours; a guess at a hidden birth date needs thousands.
--   2. INSERT INTO volunteer … is refused (registration_check_needed) unless the login has a
--      check of that exact number that has COMMITTED (pg_xact_status of its transaction), made
--      within 24 hours. The refusal comes from a BEFORE ROW trigger, before the unique index is
--      consulted, and does not depend on what is registered: a guess rolled back with its check
--      leaves nothing to register with.
-- A legitimate registration or import checks its numbers once, then writes (vledger does both:
-- `volunteer register`, `volunteer import`, the HTTP routes and pages). Different people rarely
-- share a masked form within one login's day (10⁴ last-four values an area), so the limit is
-- not met by real work. The admin and the owner are not limited: they read the volunteer table.
--
-- WHAT IS KEPT: registration_check holds the login, the masked number and a SHA-256 of the full
-- number, readable by the admin only (a hash of an ID number with its mask known is as good as
-- the number, so it is not in the audit trail, which the office reads). Nobody writes it but the
-- function.

SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_schema()), true);

INSERT INTO setting (name, value) VALUES ('registration_checks_per_key_per_day', '5') ON CONFLICT (name) DO NOTHING;

CREATE FUNCTION vl_setting_registration_check_valid() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.name = 'registration_checks_per_key_per_day' AND (NEW.value !~ '^[0-9]{1,4}$' OR NEW.value::int NOT BETWEEN 1 AND 1000) THEN
        PERFORM vl_raise('setting_registration_checks_valid', 'value', left(NEW.value, 40),
            'setting registration_checks_per_key_per_day: must be a whole number from 1 to 1000 (ID numbers sharing one masked form a login may check within 24 hours)');
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER setting_registration_check_valid BEFORE INSERT OR UPDATE ON setting
    FOR EACH ROW EXECUTE FUNCTION vl_setting_registration_check_valid();

CREATE FUNCTION vl_registration_check_limit() RETURNS int
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(vl_setting('registration_checks_per_key_per_day')::int, 5) $$;

-- The form both steps compare: trimmed, upper case (a lower-case x is the same number).
CREATE FUNCTION vl_registration_key(p text) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT sha256(convert_to(upper(btrim(p)), 'UTF8')) $$;

CREATE TABLE registration_check (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recorded_by    text NOT NULL,        -- the person (0070's actor rules)
    session_login  text NOT NULL,        -- session_user (a service login acting for recorded_by)
    id_hash        bytea NOT NULL,       -- vl_registration_key of the full number
    masked_key     text NOT NULL,        -- as listings show it
    transaction_id xid8 NOT NULL,        -- registers once this has committed
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX registration_check_by_hash ON registration_check (recorded_by, id_hash, recorded_at);
CREATE INDEX registration_check_by_mask ON registration_check (recorded_by, masked_key, recorded_at);

-- One row a login: the lock that serialises its checks, so parallel sessions cannot multiply
-- the limit (as id_lookup_budget does for lookups).
CREATE TABLE registration_check_budget (
    login  text PRIMARY KEY,
    checks bigint NOT NULL
);

REVOKE ALL ON registration_check, registration_check_budget FROM PUBLIC, vledger_staff, vledger_organiser, vledger_office, vledger_admin;
GRANT SELECT ON registration_check, registration_check_budget TO vledger_admin;
CREATE TRIGGER registration_check_fixed BEFORE UPDATE OR DELETE ON registration_check
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

-- The numbers asked that the login has no committed check of within the day, once each.
CREATE FUNCTION vl_registration_fresh(p_actor text, p_id_numbers text[]) RETURNS TABLE (id_hash bytea, masked_key text)
    LANGUAGE sql STABLE
    AS $$
    SELECT DISTINCT ON (vl_registration_key(k)) vl_registration_key(k), vl_mask_id_number(upper(btrim(k)))
      FROM unnest(p_id_numbers) AS k
     WHERE k IS NOT NULL AND btrim(k) <> ''
       AND NOT EXISTS (SELECT 1 FROM registration_check c
                        WHERE c.recorded_by = p_actor AND c.id_hash = vl_registration_key(k)
                          AND c.recorded_at > clock_timestamp() - interval '1 day'
                          AND pg_xact_status(c.transaction_id) = 'committed')
     ORDER BY vl_registration_key(k)
$$;
REVOKE ALL ON FUNCTION vl_registration_fresh(text, text[]) FROM PUBLIC;

-- Step 1. Returns how many numbers were newly recorded (already checked ones are not counted
-- again): nothing about what is registered.
CREATE FUNCTION vl_registration_check(p_id_numbers text[]) RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    AS $$
DECLARE
    v_actor text := vl_lookup_actor();
    v_limit int := vl_registration_check_limit();
    v_over record;
    v_recorded int;
BEGIN
    IF p_id_numbers IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = 'vledger: vl_registration_check: give an array of ID numbers';
    END IF;
    IF vl_is_admin(v_actor) THEN
        RETURN 0;
    END IF;
    INSERT INTO registration_check_budget AS b (login, checks) VALUES (v_actor, 1)
    ON CONFLICT (login) DO UPDATE SET checks = b.checks + 1;

    SELECT p.masked_key, p.asked, p.earlier INTO v_over
      FROM (SELECT f.masked_key, count(*) AS asked,
                   (SELECT count(DISTINCT c.id_hash) FROM registration_check c
                     WHERE c.recorded_by = v_actor AND c.masked_key = f.masked_key
                       AND c.recorded_at > clock_timestamp() - interval '1 day') AS earlier
              FROM vl_registration_fresh(v_actor, p_id_numbers) f
             GROUP BY f.masked_key) p
     WHERE p.asked + p.earlier > v_limit
     ORDER BY p.masked_key
     LIMIT 1;
    IF FOUND THEN
        PERFORM vl_raise('registration_check_limited', 'id_number', v_over.masked_key,
            format('%s different ID numbers of this masked form checked for registration by %s within 24 hours (limit %s, setting registration_checks_per_key_per_day): refused',
                   v_over.asked + v_over.earlier, v_actor, v_limit),
            jsonb_build_object('count', (v_over.asked + v_over.earlier)::text, 'limit', v_limit::text, 'login', v_actor),
            'insufficient_privilege');
    END IF;

    INSERT INTO registration_check (recorded_by, session_login, id_hash, masked_key, transaction_id)
    SELECT v_actor, session_user, f.id_hash, f.masked_key, pg_current_xact_id() FROM vl_registration_fresh(v_actor, p_id_numbers) f;
    GET DIAGNOSTICS v_recorded = ROW_COUNT;
    RETURN v_recorded;
END
$$;
REVOKE ALL ON FUNCTION vl_registration_check(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_registration_check(text[]) TO vledger_staff, vledger_admin;

-- Step 2, on every row written, before the unique index is consulted.
CREATE FUNCTION vl_volunteer_registration_checked() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v_actor text;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id_number IS NOT DISTINCT FROM OLD.id_number THEN
        RETURN NEW;
    END IF;
    -- A malformed number is refused by volunteer_id_number_valid, whatever is registered.
    IF NOT vl_id_number_valid(NEW.id_number) THEN
        RETURN NEW;
    END IF;
    v_actor := vl_lookup_actor();
    IF vl_is_admin(v_actor) THEN
        RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM registration_check c
                    WHERE c.recorded_by = v_actor AND c.id_hash = vl_registration_key(NEW.id_number)
                      AND c.recorded_at > clock_timestamp() - interval '1 day'
                      AND pg_xact_status(c.transaction_id) = 'committed') THEN
        PERFORM vl_raise('registration_check_needed', 'id_number', vl_mask_id_number(NEW.id_number),
            'register an ID number only once SELECT vl_registration_check(ARRAY[...]) has committed for it (within 24 hours): checks are counted, rolled back or not',
            NULL, 'insufficient_privilege');
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER volunteer_registration_checked BEFORE INSERT OR UPDATE OF id_number ON volunteer
    FOR EACH ROW EXECUTE FUNCTION vl_volunteer_registration_checked();

SELECT count(*) AS pinned FROM vl_pin_search_path();
