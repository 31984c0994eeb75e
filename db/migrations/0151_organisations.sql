-- Volunteer service organisations and teams (issue 15, 志愿服务组织 / 志愿服务队).
--
--   organisation             name, kind, professional field, unified social credit code (GB 32100-2015,
--                            check character verified here), parent, home district, founding date.
--                            Kept by the office; rows are not rewritten (a change of standing is a
--                            status row).
--   organisation_status      its standing from a date on (active, suspended, dissolved): append-only,
--                            so the standing on any past day is the latest row effective by then.
--   organisation_organiser   which organiser logins act for it (谁组织谁记录): an organiser names an
--                            organisation on an activity only if linked to it here.
--   organisation_membership  a volunteer joins on a date …
--   organisation_leave       … and leaves on a later one; both append-only, so membership on a past
--                            day (and as recorded at a past moment) can be replayed. A volunteer may
--                            belong to several organisations at once, never twice to the same one.

-- GB 32100-2015: 18 characters of 0-9 and A-Y without I, O, S, V, Z; the 18th is the check
-- character, 31 - (Σ value(c_i) · 3^(i-1) mod 31) mod 31, over the first 17.
CREATE FUNCTION vl_credit_code_check_character(p text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$
DECLARE
    alphabet constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
    weights constant int[] := ARRAY[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    total int := 0;
    v int;
BEGIN
    IF p !~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}' THEN
        RETURN NULL;
    END IF;
    FOR i IN 1..17 LOOP
        v := strpos(alphabet, substr(p, i, 1)) - 1;
        total := total + v * weights[i];
    END LOOP;
    RETURN substr(alphabet, (31 - total % 31) % 31 + 1, 1);
END
$$;

CREATE FUNCTION vl_credit_code_valid(p text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT length(p) = 18 AND coalesce(vl_credit_code_check_character(p) = substr(p, 18, 1), false) $$;

CREATE TABLE organisation (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text NOT NULL CONSTRAINT organisation_name_unique UNIQUE
                  CONSTRAINT organisation_name_present CHECK (btrim(name) <> '' AND length(name) <= 100),
    kind          text NOT NULL CONSTRAINT organisation_kind_known CHECK (kind IN ('registered', 'team', 'professional')),
    -- The field of a professional team (文化、医疗卫生、法律、环保、消防 and the plan's others).
    field         text CONSTRAINT organisation_field_known CHECK (field IN ('文化', '医疗卫生', '法律', '环保', '消防', '应急救援', '教育', '心理', '其他')),
    credit_code   text CONSTRAINT organisation_credit_code_unique UNIQUE
                  CONSTRAINT organisation_credit_code_valid CHECK (vl_credit_code_valid(credit_code)),
    parent_id     bigint CONSTRAINT organisation_parent_fkey REFERENCES organisation (id),
    district_code text NOT NULL CONSTRAINT organisation_district_fkey REFERENCES district (code),
    founded_on    date NOT NULL,
    recorded_by   text NOT NULL DEFAULT current_user,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT organisation_field_for_professional CHECK ((kind = 'professional') = (field IS NOT NULL)),
    CONSTRAINT organisation_credit_code_for_registered CHECK (kind <> 'registered' OR credit_code IS NOT NULL),
    CONSTRAINT organisation_team_has_parent CHECK (kind <> 'team' OR parent_id IS NOT NULL)
);
CREATE INDEX organisation_by_parent ON organisation (parent_id);
CREATE INDEX organisation_by_district ON organisation (district_code);

-- The constraints above hold on every path; this names the field and the value first, with the
-- expected check character, so that a mistyped code is found at once.
CREATE FUNCTION vl_organisation_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    expected text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM vl_rule('organisation_fixed', format('organisation "%s": recorded as it is; its standing changes by a status row', OLD.id));
    END IF;
    IF NEW.name IS NULL OR btrim(NEW.name) = '' OR length(NEW.name) > 100 THEN
        PERFORM vl_rule('organisation_name_present', format('name "%s": must not be empty, at most 100 characters', left(NEW.name, 60)));
    END IF;
    IF EXISTS (SELECT 1 FROM organisation o WHERE o.name = NEW.name) THEN
        PERFORM vl_rule('organisation_name_unique', format('name "%s": an organisation of that name exists', NEW.name));
    END IF;
    IF EXISTS (SELECT 1 FROM organisation o WHERE o.credit_code = NEW.credit_code) THEN
        PERFORM vl_rule('organisation_credit_code_unique', format('credit_code "%s": already registered', NEW.credit_code));
    END IF;
    IF NEW.field NOT IN ('文化', '医疗卫生', '法律', '环保', '消防', '应急救援', '教育', '心理', '其他') THEN
        PERFORM vl_rule('organisation_field_known', format('field "%s": must be 文化, 医疗卫生, 法律, 环保, 消防, 应急救援, 教育, 心理 or 其他', NEW.field));
    END IF;
    IF NEW.kind NOT IN ('registered', 'team', 'professional') THEN
        PERFORM vl_rule('organisation_kind_known', format('kind "%s": must be registered, team or professional', NEW.kind));
    END IF;
    IF NEW.credit_code IS NOT NULL AND NOT vl_credit_code_valid(NEW.credit_code) THEN
        expected := vl_credit_code_check_character(NEW.credit_code);
        IF expected IS NULL OR length(NEW.credit_code) <> 18 THEN
            PERFORM vl_rule('organisation_credit_code_valid',
                format('credit_code "%s": must be 18 characters of 0-9 and A-Y without I, O, S, V, Z (GB 32100-2015)', NEW.credit_code));
        END IF;
        PERFORM vl_rule('organisation_credit_code_valid',
            format('credit_code "%s": wrong check character (GB 32100-2015): the 18th character should be %s', NEW.credit_code, expected));
    END IF;
    IF NEW.kind = 'registered' AND NEW.credit_code IS NULL THEN
        PERFORM vl_rule('organisation_credit_code_for_registered', 'credit_code: a registered organisation needs its unified social credit code');
    END IF;
    IF (NEW.kind = 'professional') <> (NEW.field IS NOT NULL) THEN
        PERFORM vl_rule('organisation_field_for_professional',
            format('field "%s": a professional team has a field (文化、医疗卫生、法律、环保、消防…), other kinds none', coalesce(NEW.field, '')));
    END IF;
    IF NEW.kind = 'team' AND NEW.parent_id IS NULL THEN
        PERFORM vl_rule('organisation_team_has_parent', 'parent: a team belongs to a parent organisation');
    END IF;
    IF NEW.parent_id IS NOT NULL THEN
        IF NOT EXISTS (SELECT 1 FROM organisation WHERE id = NEW.parent_id) THEN
            PERFORM vl_rule('organisation_parent_fkey', format('parent "%s": no such organisation', NEW.parent_id));
        END IF;
        IF (SELECT founded_on FROM organisation WHERE id = NEW.parent_id) > NEW.founded_on THEN
            PERFORM vl_rule('organisation_founded_after_parent',
                format('founded_on "%s": before its parent organisation was founded', NEW.founded_on));
        END IF;
    END IF;
    IF NEW.founded_on > vl_city_today() THEN
        PERFORM vl_rule('organisation_founded_not_future', format('founded_on "%s": in the future', NEW.founded_on));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER organisation_rules BEFORE INSERT OR UPDATE ON organisation
    FOR EACH ROW EXECUTE FUNCTION vl_organisation_rules();
CREATE TRIGGER organisation_fixed BEFORE DELETE ON organisation
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

CREATE TABLE organisation_status (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL CONSTRAINT organisation_status_organisation_fkey REFERENCES organisation (id),
    status          text NOT NULL CONSTRAINT organisation_status_known CHECK (status IN ('active', 'suspended', 'dissolved')),
    effective_on    date NOT NULL,
    reason          text CONSTRAINT organisation_status_reason_length CHECK (length(reason) <= 500),
    recorded_by     text NOT NULL DEFAULT current_user,
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT organisation_status_one_per_day UNIQUE (organisation_id, effective_on)
);

-- The standing on a day: the latest status row effective by then, else active from its founding.
CREATE FUNCTION vl_organisation_status_on(p_organisation bigint, p_day date) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT CASE WHEN o.founded_on > p_day THEN 'not_founded'
                ELSE coalesce((SELECT s.status FROM organisation_status s
                                WHERE s.organisation_id = o.id AND s.effective_on <= p_day
                                ORDER BY s.effective_on DESC LIMIT 1), 'active') END
    FROM organisation o WHERE o.id = p_organisation
$$;

CREATE FUNCTION vl_organisation_status_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    founded date := (SELECT founded_on FROM organisation WHERE id = NEW.organisation_id);
BEGIN
    IF founded IS NULL THEN
        PERFORM vl_rule('organisation_status_organisation_fkey', format('organisation "%s": no such organisation', NEW.organisation_id));
    END IF;
    IF NEW.effective_on < founded THEN
        PERFORM vl_rule('organisation_status_after_founding',
            format('on "%s": before the organisation was founded on %s', NEW.effective_on, founded));
    END IF;
    IF vl_organisation_status_on(NEW.organisation_id, NEW.effective_on) = 'dissolved' THEN
        PERFORM vl_rule('organisation_status_dissolved_final',
            format('on "%s": the organisation was dissolved by then; a dissolution is final', NEW.effective_on));
    END IF;
    IF NEW.status = 'dissolved' AND EXISTS (SELECT 1 FROM organisation_status s WHERE s.organisation_id = NEW.organisation_id AND s.effective_on > NEW.effective_on) THEN
        PERFORM vl_rule('organisation_status_dissolved_final',
            format('on "%s": a later status is recorded; a dissolution is final', NEW.effective_on));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER organisation_status_rules BEFORE INSERT ON organisation_status
    FOR EACH ROW EXECUTE FUNCTION vl_organisation_status_rules();
CREATE TRIGGER organisation_status_history_fixed BEFORE UPDATE OR DELETE ON organisation_status
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

CREATE TABLE organisation_organiser (
    organisation_id bigint NOT NULL CONSTRAINT organisation_organiser_organisation_fkey REFERENCES organisation (id),
    login           text NOT NULL CONSTRAINT organisation_organiser_login_fkey REFERENCES app_user (login),
    added_by        text NOT NULL DEFAULT current_user,
    added_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (organisation_id, login)
);
CREATE INDEX organisation_organiser_by_login ON organisation_organiser (login);

CREATE FUNCTION vl_organisation_organiser_rules() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM app_user WHERE login = NEW.login AND role = 'organiser') THEN
        PERFORM vl_rule('organisation_organiser_is_organiser', format('login "%s": not an organiser login of this database', NEW.login));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER organisation_organiser_rules BEFORE INSERT OR UPDATE ON organisation_organiser
    FOR EACH ROW EXECUTE FUNCTION vl_organisation_organiser_rules();

-- Whether a login acts for an organisation (policy and rule helper; owner's rights so that it
-- reads the links whatever the caller may read).
CREATE FUNCTION vl_acts_for_organisation(p_organisation bigint, p_login text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT EXISTS (SELECT 1 FROM organisation_organiser WHERE organisation_id = p_organisation AND login = p_login) $$;

CREATE FUNCTION vl_check_acts_for_organisation(p_organisation bigint, p_login text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
BEGIN
    IF NOT vl_acts_for_organisation(p_organisation, p_login) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('organisation %s is not one you act for: organisers record only for the organisations they are linked to (vledger org add-organiser)', p_organisation);
    END IF;
    RETURN true;
END
$$;

CREATE TABLE organisation_membership (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL CONSTRAINT organisation_membership_organisation_fkey REFERENCES organisation (id),
    volunteer_id    bigint NOT NULL CONSTRAINT organisation_membership_volunteer_fkey REFERENCES volunteer (id),
    joined_on       date NOT NULL,
    recorded_by     text NOT NULL DEFAULT current_user,
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX organisation_membership_by_organisation ON organisation_membership (organisation_id, joined_on);
CREATE INDEX organisation_membership_by_volunteer ON organisation_membership (volunteer_id, organisation_id);

CREATE TABLE organisation_leave (
    membership_id bigint PRIMARY KEY CONSTRAINT organisation_leave_membership_fkey REFERENCES organisation_membership (id),
    left_on       date NOT NULL,
    recorded_by   text NOT NULL DEFAULT current_user,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- A membership is the days [joined_on, left_on). Periods of one volunteer in one organisation
-- follow each other: a new one starts only after the last has ended (the volunteer's row lock
-- serialises two writers, as the ledger's rules do for a volunteer's hours).
CREATE FUNCTION vl_organisation_membership_rules() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v record;
    o record;
    clash record;
BEGIN
    -- The volunteer's row lock, as the ledger's rules take it: it lives in the row, not in the
    -- shared lock table, so a bulk load of memberships in one transaction (the sample city, an
    -- import) cannot run that table out of memory as one advisory lock per pair did.
    SELECT number, registered_on INTO v FROM volunteer WHERE id = NEW.volunteer_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM vl_rule('organisation_membership_volunteer_fkey', format('volunteer "%s": no such volunteer', NEW.volunteer_id));
    END IF;
    SELECT id, name, founded_on INTO o FROM organisation WHERE id = NEW.organisation_id;
    IF NOT FOUND THEN
        PERFORM vl_rule('organisation_membership_organisation_fkey', format('organisation "%s": no such organisation', NEW.organisation_id));
    END IF;
    IF NEW.joined_on < v.registered_on THEN
        PERFORM vl_rule('organisation_membership_registered',
            format('on "%s": volunteer %s registered only on %s', NEW.joined_on, v.number, v.registered_on));
    END IF;
    IF EXISTS (SELECT 1 FROM volunteer_deregistration d WHERE d.volunteer_id = NEW.volunteer_id AND d.effective_on <= NEW.joined_on) THEN
        PERFORM vl_rule('organisation_membership_registered', format('on "%s": volunteer %s had left the register by then', NEW.joined_on, v.number));
    END IF;
    IF vl_organisation_status_on(NEW.organisation_id, NEW.joined_on) <> 'active' THEN
        PERFORM vl_rule('organisation_membership_active',
            format('on "%s": organisation %s is %s on that day', NEW.joined_on, o.name, vl_organisation_status_on(NEW.organisation_id, NEW.joined_on)));
    END IF;
    SELECT m.joined_on, l.left_on INTO clash
      FROM organisation_membership m LEFT JOIN organisation_leave l ON l.membership_id = m.id
     WHERE m.organisation_id = NEW.organisation_id AND m.volunteer_id = NEW.volunteer_id
       AND (l.left_on IS NULL OR l.left_on > NEW.joined_on)
     ORDER BY m.joined_on DESC LIMIT 1;
    IF FOUND THEN
        PERFORM vl_rule('organisation_membership_no_overlap',
            format('on "%s": volunteer %s is a member of %s since %s%s', NEW.joined_on, v.number, o.name, clash.joined_on,
                   CASE WHEN clash.left_on IS NULL THEN '' ELSE ' until ' || clash.left_on END));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER organisation_membership_rules BEFORE INSERT ON organisation_membership
    FOR EACH ROW EXECUTE FUNCTION vl_organisation_membership_rules();
CREATE TRIGGER organisation_membership_history_fixed BEFORE UPDATE OR DELETE ON organisation_membership
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

CREATE FUNCTION vl_organisation_leave_rules() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    joined date := (SELECT joined_on FROM organisation_membership WHERE id = NEW.membership_id);
BEGIN
    IF joined IS NULL THEN
        PERFORM vl_rule('organisation_leave_membership_fkey', format('membership "%s": no such membership', NEW.membership_id));
    END IF;
    IF NEW.left_on <= joined THEN
        PERFORM vl_rule('organisation_leave_after_join', format('on "%s": not after the day of joining, %s', NEW.left_on, joined));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER organisation_leave_rules BEFORE INSERT ON organisation_leave
    FOR EACH ROW EXECUTE FUNCTION vl_organisation_leave_rules();
CREATE TRIGGER organisation_leave_history_fixed BEFORE UPDATE OR DELETE ON organisation_leave
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

-- Activities run by an organisation. An organiser names only an organisation they act for; the
-- organisation is active on the activity's first day.
ALTER TABLE activity ADD COLUMN organisation_id bigint CONSTRAINT activity_organisation_fkey REFERENCES organisation (id);
CREATE INDEX activity_by_organisation ON activity (organisation_id) WHERE organisation_id IS NOT NULL;

CREATE FUNCTION vl_activity_organisation() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v_actor text := CASE WHEN current_setting('role') IN ('none', session_user::text) THEN session_user::text ELSE current_setting('role') END;
    v_status text;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.organisation_id IS NOT DISTINCT FROM OLD.organisation_id THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM hours_entry e WHERE e.activity_id = OLD.id) THEN
        PERFORM vl_rule('activity_grouping_fixed',
            format('org "%s": activity %s has hours; its category, organisation and project no longer change', NEW.organisation_id, OLD.id));
    END IF;
    IF NEW.organisation_id IS NULL THEN
        RETURN NEW;
    END IF;
    v_status := vl_organisation_status_on(NEW.organisation_id, (NEW.starts_at AT TIME ZONE vl_time_zone())::date);
    IF v_status IS NULL THEN
        PERFORM vl_rule('activity_organisation_fkey', format('org "%s": no such organisation', NEW.organisation_id));
    END IF;
    IF v_status <> 'active' THEN
        PERFORM vl_rule('activity_organisation_active', format('org "%s": the organisation is %s on the activity''s day', NEW.organisation_id, v_status));
    END IF;
    IF pg_has_role(v_actor, 'vledger_organiser', 'MEMBER') AND NOT vl_is_admin(v_actor)
       AND NOT vl_acts_for_organisation(NEW.organisation_id, v_actor) THEN
        PERFORM vl_rule('activity_organisation_acts_for',
            format('org "%s": login %s does not act for this organisation (the office links organisers with vledger org add-organiser)', NEW.organisation_id, v_actor));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER activity_organisation BEFORE INSERT OR UPDATE OF organisation_id ON activity
    FOR EACH ROW EXECUTE FUNCTION vl_activity_organisation();
GRANT UPDATE (organisation_id) ON activity TO vledger_organiser;

-- Security (0042, 0072): every role reads (no personal data here); the office keeps
-- organisations, their status and organiser links; memberships are written by the staff of the
-- volunteer's district and by organisers for their organisations.
SELECT vl_security_attach(t), vl_audit_attach(t), vl_stamp_attach(t)
  FROM unnest(ARRAY['organisation', 'organisation_status', 'organisation_organiser', 'organisation_membership', 'organisation_leave']::regclass[]) t;
GRANT INSERT ON organisation, organisation_status TO vledger_office, vledger_admin;
GRANT INSERT, DELETE ON organisation_organiser TO vledger_office, vledger_admin;
GRANT INSERT ON organisation_membership, organisation_leave TO vledger_staff, vledger_organiser, vledger_admin;

ALTER TABLE organisation_membership ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisation_leave ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON organisation_membership TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON organisation_membership FOR SELECT TO vledger_staff, vledger_organiser, vledger_office USING (true);
CREATE POLICY staff_write ON organisation_membership FOR INSERT TO vledger_staff
    WITH CHECK (vl_check_staff_volunteer(volunteer_id, current_user) AND vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY organiser_write ON organisation_membership FOR INSERT TO vledger_organiser
    WITH CHECK (vl_check_acts_for_organisation(organisation_id, current_user) AND vl_check_recorded_by('recorded_by', recorded_by, current_user));

CREATE FUNCTION vl_membership_part(p_membership bigint) RETURNS TABLE (organisation_id bigint, volunteer_id bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT m.organisation_id, m.volunteer_id FROM organisation_membership m WHERE m.id = p_membership $$;

CREATE POLICY admin_all ON organisation_leave TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON organisation_leave FOR SELECT TO vledger_staff, vledger_organiser, vledger_office USING (true);
CREATE POLICY staff_write ON organisation_leave FOR INSERT TO vledger_staff
    WITH CHECK (vl_check_staff_volunteer((SELECT p.volunteer_id FROM vl_membership_part(membership_id) p), current_user)
                AND vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY organiser_write ON organisation_leave FOR INSERT TO vledger_organiser
    WITH CHECK (vl_check_acts_for_organisation((SELECT p.organisation_id FROM vl_membership_part(membership_id) p), current_user)
                AND vl_check_recorded_by('recorded_by', recorded_by, current_user));

REVOKE ALL ON FUNCTION vl_acts_for_organisation(bigint, text), vl_check_acts_for_organisation(bigint, text), vl_membership_part(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_acts_for_organisation(bigint, text), vl_check_acts_for_organisation(bigint, text), vl_membership_part(bigint)
    TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;

-- The members of an organisation, number and name only (what vl_volunteer_lookup shows anyone):
-- community staff read other districts' volunteers no further than this.
CREATE FUNCTION vl_organisation_members(p_organisation bigint)
    RETURNS TABLE (number text, name text, joined_on date, left_on date)
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT v.number, v.name, m.joined_on, l.left_on
      FROM organisation_membership m
      JOIN volunteer v ON v.id = m.volunteer_id
      LEFT JOIN organisation_leave l ON l.membership_id = m.id
     WHERE m.organisation_id = p_organisation
     ORDER BY m.joined_on, v.number
$$;
REVOKE ALL ON FUNCTION vl_organisation_members(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_organisation_members(bigint) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;
