-- Registry rules the database itself holds (issue #3). The Swift services check the same rules
-- first only to word the error better; these triggers are what stops plain SQL, a concurrent
-- writer or a bulk INSERT … SELECT from breaking them.
-- The checks are statement-level with transition tables: one set-based query per statement,
-- so a 100,000-row import pays for one join, not 100,000 trigger calls.

-- Personal data in error messages is masked the same way Swift's Masking does it.
CREATE FUNCTION vl_mask_id_number(p text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT CASE WHEN length(p) > 10 THEN left(p, 6) || repeat('*', length(p) - 10) || right(p, 4)
                      ELSE repeat('*', length(p)) END $$;

CREATE FUNCTION vl_mask_phone(p text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT CASE WHEN length(p) > 7 THEN left(p, 3) || repeat('*', length(p) - 7) || right(p, 4)
                      ELSE repeat('*', length(p)) END $$;

-- Today in the city's time zone: no registration, move or deregistration may be dated later.
CREATE FUNCTION vl_today() RETURNS date
    LANGUAGE sql STABLE
    AS $$ SELECT (now() AT TIME ZONE vl_time_zone())::date $$;

CREATE FUNCTION vl_minimum_age() RETURNS int
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(vl_setting('minimum_age')::int, 14) $$;

-- Registration: not in the future, not under the minimum age (a deployment setting).
CREATE FUNCTION vl_volunteer_registration_rules() RETURNS trigger
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
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'volunteer_registered_not_future',
            MESSAGE = format('vledger: registered_on "%s": is in the future (today is %s in the city time zone)', bad.registered_on, today);
    END IF;
    SELECT n.id_number, n.registered_on INTO bad
    -- Whole years as a person counts them (age()), the same as the Swift check: someone born on
    -- 29 February is not a year older on 28 February.
    FROM new_rows n WHERE extract(year FROM age(n.registered_on, n.birth_date)) < min_age LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'volunteer_minimum_age',
            MESSAGE = format('vledger: id_number "%s": under the minimum age of %s on the registration date %s',
                             vl_mask_id_number(bad.id_number), min_age, bad.registered_on);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER volunteer_registration_rules
    AFTER INSERT ON volunteer REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION vl_volunteer_registration_rules();

-- A correction may change the name and the phone; who the person is (ID number), when they
-- registered and when they consented are facts of the registration and stay as recorded.
CREATE FUNCTION vl_volunteer_fixed_fields() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.id_number IS DISTINCT FROM OLD.id_number THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'volunteer_id_number_fixed',
            MESSAGE = format('vledger: id_number "%s": cannot be changed after registration', vl_mask_id_number(OLD.id_number));
    END IF;
    IF NEW.registered_on IS DISTINCT FROM OLD.registered_on THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'volunteer_registered_on_fixed',
            MESSAGE = format('vledger: registered_on "%s": cannot be changed after registration', OLD.registered_on);
    END IF;
    IF NEW.number IS DISTINCT FROM OLD.number OR NEW.consent_recorded_at IS DISTINCT FROM OLD.consent_recorded_at
       OR NEW.guardian_consent_at IS DISTINCT FROM OLD.guardian_consent_at
       OR NEW.recorded_by IS DISTINCT FROM OLD.recorded_by OR NEW.recorded_at IS DISTINCT FROM OLD.recorded_at THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'volunteer_registration_fixed',
            MESSAGE = format('vledger: volunteer "%s": number, consent and registration record cannot be changed', OLD.number);
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER volunteer_fixed_fields
    BEFORE UPDATE ON volunteer
    FOR EACH ROW EXECUTE FUNCTION vl_volunteer_fixed_fields();

-- Corrections of name and phone keep the earlier value, who changed it and when.
CREATE TABLE volunteer_correction (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    volunteer_id bigint NOT NULL REFERENCES volunteer (id),
    field        text NOT NULL CONSTRAINT volunteer_correction_field_known CHECK (field IN ('name', 'phone')),
    old_value    text NOT NULL,
    new_value    text NOT NULL,
    recorded_by  text NOT NULL DEFAULT current_user,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX volunteer_correction_by_volunteer ON volunteer_correction (volunteer_id, recorded_at);

CREATE FUNCTION vl_volunteer_keep_corrections() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.name IS DISTINCT FROM OLD.name THEN
        INSERT INTO volunteer_correction (volunteer_id, field, old_value, new_value) VALUES (OLD.id, 'name', OLD.name, NEW.name);
    END IF;
    -- The history says that a phone changed, not the numbers: whoever may read the history
    -- (the office) must not read phones through it.
    IF NEW.phone IS DISTINCT FROM OLD.phone THEN
        INSERT INTO volunteer_correction (volunteer_id, field, old_value, new_value) VALUES (OLD.id, 'phone', vl_mask_phone(OLD.phone), vl_mask_phone(NEW.phone));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER volunteer_keep_corrections
    AFTER UPDATE ON volunteer
    FOR EACH ROW EXECUTE FUNCTION vl_volunteer_keep_corrections();

-- District history: the first row is the registration (effective_from = registered_on); a move
-- is a later row, not in the future, and not on or after the deregistration date.
CREATE FUNCTION vl_volunteer_district_rules() RETURNS trigger
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
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'volunteer_district_not_future',
            MESSAGE = format('vledger: on "%s": is in the future (today is %s in the city time zone)', bad.effective_from, today);
    ELSIF bad.rule = 2 THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'volunteer_district_after_registration',
            MESSAGE = format('vledger: on "%s": volunteer %s registered on %s; a district change must be after that',
                             bad.effective_from, bad.number, bad.registered_on);
    ELSE
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'volunteer_district_before_deregistration',
            MESSAGE = format('vledger: on "%s": volunteer %s was deregistered on %s; a district change must be before that',
                             bad.effective_from, bad.number, bad.effective_on);
    END IF;
END
$$;

CREATE TRIGGER volunteer_district_rules
    AFTER INSERT ON volunteer_district REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION vl_volunteer_district_rules();

-- Deregistration: once (primary key), not in the future, not before registration, and after
-- every move (a move dated after leaving would make the history contradict itself).
CREATE FUNCTION vl_volunteer_deregistration_rules() RETURNS trigger
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
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'volunteer_deregistration_not_future',
            MESSAGE = format('vledger: on "%s": is in the future (today is %s in the city time zone)', bad.effective_on, today);
    END IF;

    SELECT v.number, n.effective_on, v.registered_on INTO bad
    FROM new_rows n JOIN volunteer v ON v.id = n.volunteer_id
    WHERE n.effective_on < v.registered_on LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'volunteer_deregistration_after_registration',
            MESSAGE = format('vledger: on "%s": volunteer %s registered on %s; deregistration cannot be before that',
                             bad.effective_on, bad.number, bad.registered_on);
    END IF;

    SELECT v.number, n.effective_on, max(vd.effective_from) AS last_move INTO bad
    FROM new_rows n JOIN volunteer v ON v.id = n.volunteer_id
    JOIN volunteer_district vd ON vd.volunteer_id = n.volunteer_id AND vd.effective_from > v.registered_on
    GROUP BY v.number, n.effective_on
    HAVING max(vd.effective_from) >= n.effective_on LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'volunteer_deregistration_after_moves',
            MESSAGE = format('vledger: on "%s": volunteer %s moved district on %s; deregistration must be after that',
                             bad.effective_on, bad.number, bad.last_move);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER volunteer_deregistration_rules
    AFTER INSERT ON volunteer_deregistration REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION vl_volunteer_deregistration_rules();

-- History is added to, never rewritten: a wrong move or deregistration is not silently edited away.
CREATE FUNCTION vl_registry_history_fixed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_history_fixed',
        MESSAGE = format('vledger: %s: history rows are kept as recorded and cannot be changed or deleted', TG_TABLE_NAME);
END
$$;

CREATE TRIGGER volunteer_district_history_fixed
    BEFORE UPDATE OR DELETE ON volunteer_district
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();
CREATE TRIGGER volunteer_deregistration_history_fixed
    BEFORE UPDATE OR DELETE ON volunteer_deregistration
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();
CREATE TRIGGER volunteer_correction_history_fixed
    BEFORE UPDATE OR DELETE ON volunteer_correction
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();
CREATE TRIGGER population_revision_history_fixed
    BEFORE UPDATE OR DELETE ON population_revision
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

-- Every GB/T 2260 code starts with a province-level prefix.
ALTER TABLE district ADD CONSTRAINT district_code_province CHECK (left(code, 2) IN (
    '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
    '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
    '71', '81', '82'));
