-- What each role may read and write, enforced by the database (privileges, column privileges,
-- row-level security), so that plain SQL as that login is held to the same rules as the CLI.
--
--   staff      read and write the volunteers of their own district (app_user.district_code);
--              a volunteer is "of" the district they belong to today.
--   organiser  create activities; record and decide hours only on activities they own
--              (activity.owner_login) or were added to (activity_organiser); never approve an
--              entry they recorded themselves.
--   office     read everything (personal data masked); write districts, population, settings.
--   admin      everything, through explicit policies, including self-approval.
-- ID numbers, phones (and the birth date the ID number contains) are readable in full only by
-- staff of the volunteer's district and admins; everyone else reads volunteer_masked.
--
-- RLS is ENABLEd, not FORCEd, on the data tables: the owner (the deploy role that runs
-- migrations, bulk loads and restores, never a person's day-to-day login) bypasses it on
-- purpose. The audit tables are FORCEd (0041). Superusers bypass RLS in any case.
--
-- The generic parts (read grants, personal-column masking, sequence use, security_invoker views)
-- loop over every relation of the public schema that exists when this runs, so they cover the
-- tables of migrations 0010-0039 too. A table created by a later migration needs a line there:
--     SELECT vl_security_attach('new_table');   -- read grants and column masking
--     SELECT vl_audit_attach('new_table');      -- audit
-- plus its own write grants and policies.

-- Policy helpers. SECURITY DEFINER so that a policy on volunteer_district can look at
-- volunteer_district without recursing into its own policy; each takes the login explicitly
-- because inside them current_user is the owner.

-- The city's date today: volunteer districts change on dates of the city's calendar.
CREATE FUNCTION vl_city_today() RETURNS date
    LANGUAGE sql STABLE
    SET search_path = public, pg_temp
    AS $$ SELECT (now() AT TIME ZONE coalesce((SELECT value FROM setting WHERE name = 'time_zone'), 'Asia/Shanghai'))::date $$;

-- The district a volunteer belongs to today (their latest row effective on or before today).
CREATE FUNCTION vl_current_district(p_volunteer bigint) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    v_today date := vl_city_today();
BEGIN
    -- PL/pgSQL keeps its plan between calls: policies call this once per row written.
    RETURN (SELECT d.district_code
            FROM volunteer_district d
            WHERE d.volunteer_id = p_volunteer
            ORDER BY (d.effective_from <= v_today) DESC, d.effective_from DESC
            LIMIT 1);
END
$$;

-- The volunteers of a login's district today, as a set: a policy tests membership with one
-- hashed lookup per row instead of one function call per row (a staff member counting the
-- volunteers of a 100,000-volunteer city went from 31 s to 0.13 s).
CREATE FUNCTION vl_district_volunteers(p_login text) RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    v_today date := vl_city_today();
    v_district text := vl_login_district(p_login);
BEGIN
    -- Rows of the login's district in effect today with no later row in effect today: both
    -- lookups run on indexes, (district, date) and (volunteer, date). PL/pgSQL rather than SQL:
    -- its plan is made for the actual district (a SQL function here ran 15 times slower).
    RETURN QUERY
    SELECT d.volunteer_id
    FROM volunteer_district d
    WHERE d.district_code = v_district AND d.effective_from <= v_today
      AND NOT EXISTS (SELECT 1 FROM volunteer_district later
                      WHERE later.volunteer_id = d.volunteer_id
                        AND later.effective_from > d.effective_from AND later.effective_from <= v_today);
END
$$;

CREATE FUNCTION vl_login_district(p_login text) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT district_code FROM app_user WHERE login = p_login $$;

-- Owner of the table, admin or superuser: sees personal data in full.
CREATE FUNCTION vl_is_admin(p_login text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT pg_has_role(p_login, 'vledger_admin', 'MEMBER')
        OR pg_has_role(p_login, (SELECT relowner FROM pg_class WHERE oid = 'public.volunteer'::regclass), 'MEMBER')
$$;

CREATE FUNCTION vl_may_organise(p_activity bigint, p_login text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT EXISTS (SELECT 1 FROM activity a WHERE a.id = p_activity AND a.owner_login = p_login)
        OR EXISTS (SELECT 1 FROM activity_organiser o WHERE o.activity_id = p_activity AND o.login = p_login)
$$;

-- WITH CHECK helpers that refuse with a message naming what is wrong, instead of the generic
-- "new row violates row-level security policy".
CREATE FUNCTION vl_check_recorded_by(p_column text, p_value text, p_login text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path = public, pg_temp
    AS $$
BEGIN
    IF p_value IS DISTINCT FROM p_login THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('%s must be your own login %s, not "%s"', p_column, p_login, p_value);
    END IF;
    RETURN true;
END
$$;

CREATE FUNCTION vl_check_staff_volunteer(p_volunteer bigint, p_login text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    v_mine text := (SELECT district_code FROM app_user WHERE login = p_login);
    v_current text := vl_current_district(p_volunteer);
    v_number text;
    v_recorded_by text;
BEGIN
    SELECT number, recorded_by INTO v_number, v_recorded_by FROM volunteer WHERE id = p_volunteer;
    -- Theirs: of their district today, or being registered by them (no district row yet).
    IF v_current = v_mine OR (v_current IS NULL AND v_recorded_by = p_login) THEN
        RETURN true;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = format('volunteer %s is not of your district %s: staff change only the volunteers of their own district',
                         coalesce(v_number, p_volunteer::text), coalesce(v_mine, '(none)'));
END
$$;

-- A district row written by staff: the volunteer is theirs today (a move out may go anywhere),
-- or is being registered by them, into their own district.
CREATE FUNCTION vl_check_staff_district_row(p_volunteer bigint, p_district text, p_login text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    v_mine text := (SELECT district_code FROM app_user WHERE login = p_login);
BEGIN
    IF p_district IS DISTINCT FROM v_mine AND NOT EXISTS (SELECT 1 FROM volunteer_district WHERE volunteer_id = p_volunteer) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('district "%s": staff of district %s register volunteers only into their own district',
                             p_district, coalesce(v_mine, '(none)'));
    END IF;
    RETURN vl_check_staff_volunteer(p_volunteer, p_login);
END
$$;

CREATE FUNCTION vl_check_activity_owner(p_activity bigint, p_login text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM activity WHERE id = p_activity AND owner_login = p_login) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('activity %s is not yours: only its owner adds or removes organisers', p_activity);
    END IF;
    RETURN true;
END
$$;

CREATE FUNCTION vl_check_may_record(p_activity bigint, p_recorded_by text, p_login text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    PERFORM vl_check_recorded_by('recorded_by', p_recorded_by, p_login);
    IF NOT vl_may_organise(p_activity, p_login) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('activity %s is not one of your activities: organisers record hours only on their own activities', p_activity);
    END IF;
    RETURN true;
END
$$;

CREATE FUNCTION vl_check_may_decide(p_entry bigint, p_decision text, p_decided_by text, p_login text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    v_activity bigint;
    v_recorded_by text;
BEGIN
    PERFORM vl_check_recorded_by('decided_by', p_decided_by, p_login);
    SELECT activity_id, recorded_by INTO v_activity, v_recorded_by FROM hours_entry WHERE id = p_entry;
    IF NOT FOUND THEN
        RETURN true;  -- the foreign key names the missing entry
    END IF;
    IF NOT vl_may_organise(v_activity, p_login) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('entry %s is on activity %s, which is not one of your activities: organisers decide hours only on their own activities', p_entry, v_activity);
    END IF;
    IF p_decision = 'approved' AND v_recorded_by = p_login THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'hours_decision_not_self_approved',
            MESSAGE = format('vledger: entry %s: you recorded it yourself, so another organiser or an admin must approve it', p_entry);
    END IF;
    RETURN true;
END
$$;

-- For roles that may not read id_number (or not this volunteer's): find a volunteer by number or
-- by ID number, seeing number and name only. Organisers resolve the volunteers they record
-- hours for; staff learn which number an ID number is already registered under.
CREATE FUNCTION vl_volunteer_lookup(p_key text)
    RETURNS TABLE (id bigint, number text, name text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT v.id, v.number, v.name
    FROM volunteer v
    WHERE v.number = upper(btrim(p_key)) OR v.id_number = upper(btrim(p_key))
$$;

-- Volunteers as every role may read them: personal data in full only for admins and the staff of
-- the volunteer's district, masked otherwise; staff see only their own district's. Owner's rights on purpose
-- (it reads columns its readers may not), security_barrier so that no reader's function sees
-- a row before the filter.
CREATE VIEW volunteer_masked WITH (security_barrier) AS
SELECT v.id, v.number, v.name, v.id_type,
       CASE WHEN r.reveal THEN v.id_number ELSE vl_mask_id_number(v.id_number) END AS id_number,
       CASE WHEN r.reveal THEN v.birth_date END AS birth_date,
       v.sex,
       CASE WHEN r.reveal THEN v.phone ELSE vl_mask_phone(v.phone) END AS phone,
       v.registered_on, v.consent_recorded_at,
       v.guardian_name,
       CASE WHEN r.reveal THEN v.guardian_phone ELSE vl_mask_phone(v.guardian_phone) END AS guardian_phone,
       v.guardian_consent_at,
       cd.district_code,
       v.recorded_by, v.recorded_at
FROM volunteer v
CROSS JOIN (
    SELECT vl_is_admin(current_user) AS admin,
           pg_has_role(current_user, 'vledger_office', 'MEMBER') OR pg_has_role(current_user, 'vledger_organiser', 'MEMBER') AS reader,
           pg_has_role(current_user, 'vledger_staff', 'MEMBER') AS staff,
           vl_city_today() AS today
) me
CROSS JOIN LATERAL (
    SELECT me.admin OR (me.staff AND (v.id IN (SELECT f.id FROM vl_district_volunteers(current_user) AS f(id))
                                      OR (v.recorded_by = current_user AND vl_current_district(v.id) IS NULL))) AS reveal
) r
LEFT JOIN LATERAL (
    SELECT d.district_code FROM volunteer_district d
    WHERE d.volunteer_id = v.id
    ORDER BY (d.effective_from <= me.today) DESC, d.effective_from DESC
    LIMIT 1
) cd ON true
WHERE r.reveal OR me.reader;

-- Read grants and masking for one relation. Columns holding personal data are left out of the
-- office's and organisers' column grants, so that plain SQL selecting them is refused.
CREATE FUNCTION vl_security_attach(p_table regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = public, pg_temp
    AS $$
DECLARE
    v_kind "char";
    v_name text;
    v_open text;
BEGIN
    SELECT c.relkind, c.relname INTO v_kind, v_name FROM pg_class c WHERE c.oid = p_table;
    IF v_name IN ('audit_chain', 'audit_log', 'audit_trail') THEN
        EXECUTE format('REVOKE ALL ON %s FROM PUBLIC, vledger_staff, vledger_organiser', p_table);
        EXECUTE format('GRANT SELECT ON %s TO vledger_office, vledger_admin', p_table);
        RETURN;
    END IF;
    IF v_kind = 'v' AND v_name <> 'volunteer_masked' THEN
        -- A view reads with its reader's rights, so it cannot lift row-level security or column
        -- grants of the tables beneath it.
        EXECUTE format('ALTER VIEW %s SET (security_invoker = true)', p_table);
    END IF;
    EXECUTE format('GRANT SELECT ON %s TO vledger_staff, vledger_admin', p_table);
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_open
    FROM pg_attribute a
    WHERE a.attrelid = p_table AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname NOT IN ('id_number', 'phone', 'guardian_phone', 'birth_date');
    IF v_name = 'volunteer_masked' OR v_open IS NULL
       OR NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = p_table AND a.attnum > 0 AND NOT a.attisdropped
                      AND a.attname IN ('id_number', 'phone', 'guardian_phone', 'birth_date')) THEN
        EXECUTE format('GRANT SELECT ON %s TO vledger_office, vledger_organiser', p_table);
    ELSE
        EXECUTE format('REVOKE SELECT ON %s FROM vledger_office, vledger_organiser', p_table);
        EXECUTE format('GRANT SELECT (%s) ON %s TO vledger_office, vledger_organiser', v_open, p_table);
    END IF;
END
$$;
REVOKE ALL ON FUNCTION vl_security_attach(regclass) FROM PUBLIC;

DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN
        SELECT c.oid::regclass
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
        ORDER BY c.relname
    LOOP
        PERFORM vl_security_attach(t);
    END LOOP;
END
$$;

-- The admin writes every data table (row-level security below lets them through); the ledger's
-- own triggers still refuse changes to entries. Not the audit trail, not app_user (vl_user_add),
-- not the migration ledger.
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN
        SELECT c.oid::regclass
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND c.relname NOT IN ('audit_chain', 'audit_log', 'app_user', 'schema_migration')
    LOOP
        EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %s TO vledger_admin', t);
    END LOOP;
END
$$;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;

-- Write grants by role.
GRANT INSERT, UPDATE ON setting, district, population_revision TO vledger_office;
GRANT INSERT ON volunteer, volunteer_district, volunteer_deregistration TO vledger_staff;
GRANT UPDATE (name, id_type, id_number, phone, registered_on, consent_recorded_at,
              guardian_name, guardian_phone, guardian_consent_at) ON volunteer TO vledger_staff;
GRANT UPDATE (district_code, effective_from) ON volunteer_district TO vledger_staff;
GRANT UPDATE (effective_on, reason), DELETE ON volunteer_deregistration TO vledger_staff;
GRANT INSERT ON activity, hours_entry, hours_decision TO vledger_organiser;
GRANT UPDATE (title, category, organiser, starts_at, ends_at, closed_at) ON activity TO vledger_organiser;
GRANT INSERT, DELETE ON activity_organiser TO vledger_organiser;

REVOKE ALL ON FUNCTION vl_volunteer_lookup(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_volunteer_lookup(text) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;
GRANT EXECUTE ON FUNCTION vl_user_add(text, text, text, text) TO vledger_admin;
GRANT EXECUTE ON FUNCTION vl_audit_verify() TO vledger_office, vledger_admin;

-- Row-level security on the tables whose rows belong to someone.
ALTER TABLE volunteer ENABLE ROW LEVEL SECURITY;
ALTER TABLE volunteer_district ENABLE ROW LEVEL SECURITY;
ALTER TABLE volunteer_deregistration ENABLE ROW LEVEL SECURITY;
ALTER TABLE activity ENABLE ROW LEVEL SECURITY;
ALTER TABLE activity_organiser ENABLE ROW LEVEL SECURITY;
ALTER TABLE hours_entry ENABLE ROW LEVEL SECURITY;
ALTER TABLE hours_decision ENABLE ROW LEVEL SECURITY;

CREATE POLICY admin_all ON volunteer TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON volunteer FOR SELECT TO vledger_office, vledger_organiser USING (true);
CREATE POLICY staff_read ON volunteer FOR SELECT TO vledger_staff
    USING (id IN (SELECT f.id FROM vl_district_volunteers(current_user) AS f(id)) OR (recorded_by = current_user AND vl_current_district(id) IS NULL));
CREATE POLICY staff_register ON volunteer FOR INSERT TO vledger_staff
    WITH CHECK (vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY staff_change ON volunteer FOR UPDATE TO vledger_staff
    USING (id IN (SELECT f.id FROM vl_district_volunteers(current_user) AS f(id)) OR (recorded_by = current_user AND vl_current_district(id) IS NULL))
    WITH CHECK (vl_check_staff_volunteer(id, current_user));

CREATE POLICY admin_all ON volunteer_district TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON volunteer_district FOR SELECT TO vledger_office, vledger_organiser USING (true);
CREATE POLICY staff_read ON volunteer_district FOR SELECT TO vledger_staff
    USING (volunteer_id IN (SELECT f.id FROM vl_district_volunteers(current_user) AS f(id))
           OR (recorded_by = current_user AND vl_current_district(volunteer_id) IS NULL));
CREATE POLICY staff_write ON volunteer_district FOR INSERT TO vledger_staff
    WITH CHECK (vl_check_staff_district_row(volunteer_id, district_code, current_user)
                AND vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY staff_change ON volunteer_district FOR UPDATE TO vledger_staff
    USING (volunteer_id IN (SELECT f.id FROM vl_district_volunteers(current_user) AS f(id))) WITH CHECK (vl_check_staff_volunteer(volunteer_id, current_user));

CREATE POLICY admin_all ON volunteer_deregistration TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON volunteer_deregistration FOR SELECT TO vledger_office, vledger_organiser USING (true);
CREATE POLICY staff_read ON volunteer_deregistration FOR SELECT TO vledger_staff
    USING (volunteer_id IN (SELECT f.id FROM vl_district_volunteers(current_user) AS f(id)));
CREATE POLICY staff_write ON volunteer_deregistration FOR INSERT TO vledger_staff
    WITH CHECK (vl_check_staff_volunteer(volunteer_id, current_user)
                AND vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY staff_change ON volunteer_deregistration FOR UPDATE TO vledger_staff
    USING (volunteer_id IN (SELECT f.id FROM vl_district_volunteers(current_user) AS f(id))) WITH CHECK (vl_check_staff_volunteer(volunteer_id, current_user));
CREATE POLICY staff_remove ON volunteer_deregistration FOR DELETE TO vledger_staff
    USING (volunteer_id IN (SELECT f.id FROM vl_district_volunteers(current_user) AS f(id)));

CREATE POLICY admin_all ON activity TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON activity FOR SELECT TO vledger_office, vledger_organiser, vledger_staff USING (true);
CREATE POLICY organiser_create ON activity FOR INSERT TO vledger_organiser
    WITH CHECK (vl_check_recorded_by('owner_login', owner_login, current_user)
                AND vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY organiser_change ON activity FOR UPDATE TO vledger_organiser
    USING (vl_may_organise(id, current_user)) WITH CHECK (vl_may_organise(id, current_user));

CREATE POLICY admin_all ON activity_organiser TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON activity_organiser FOR SELECT TO vledger_office, vledger_organiser, vledger_staff USING (true);
CREATE POLICY owner_adds ON activity_organiser FOR INSERT TO vledger_organiser
    WITH CHECK (vl_check_activity_owner(activity_id, current_user)
                AND vl_check_recorded_by('added_by', added_by, current_user));
CREATE POLICY owner_removes ON activity_organiser FOR DELETE TO vledger_organiser
    USING (EXISTS (SELECT 1 FROM activity a WHERE a.id = activity_id AND a.owner_login = current_user));

-- Hours are read by every role (they hold no personal data, and the ledger's rules on overlaps
-- and daily limits must see all of a volunteer's entries whoever records the next one).
CREATE POLICY admin_all ON hours_entry TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON hours_entry FOR SELECT TO vledger_office, vledger_organiser, vledger_staff USING (true);
CREATE POLICY organiser_record ON hours_entry FOR INSERT TO vledger_organiser
    WITH CHECK (vl_check_may_record(activity_id, recorded_by, current_user));

CREATE POLICY admin_all ON hours_decision TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON hours_decision FOR SELECT TO vledger_office, vledger_organiser, vledger_staff USING (true);
CREATE POLICY organiser_decide ON hours_decision FOR INSERT TO vledger_organiser
    WITH CHECK (vl_check_may_decide(entry_id, decision, decided_by, current_user));

-- Readers of the trail (the owner's policies are in 0041).
CREATE POLICY office_read ON audit_chain FOR SELECT TO vledger_office, vledger_admin USING (true);
CREATE POLICY office_read ON audit_log FOR SELECT TO vledger_office, vledger_admin USING (true);

-- The policy helpers run inside policies, as the querying role.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public'
          AND p.proname IN ('vl_city_today', 'vl_current_district', 'vl_district_volunteers', 'vl_login_district', 'vl_is_admin',
                            'vl_may_organise', 'vl_check_recorded_by', 'vl_check_staff_volunteer',
                            'vl_check_staff_district_row', 'vl_check_activity_owner', 'vl_check_may_record', 'vl_check_may_decide')
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO vledger_staff, vledger_organiser, vledger_office, vledger_admin', f);
    END LOOP;
END
$$;
