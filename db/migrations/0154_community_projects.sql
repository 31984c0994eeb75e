-- Community volunteer service projects (社区志愿服务项目, issue 15): a project of a district
-- (community) run by an organisation, with its plan, period and targets (volunteers, hours).
-- Activities may belong to a project; its report compares approved hours with the targets.
-- Recorded as it is (append-only), so that a report replayed later reads the same targets.
CREATE TABLE community_project (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              text NOT NULL CONSTRAINT community_project_name_present CHECK (btrim(name) <> '' AND length(name) <= 200),
    plan              text NOT NULL CONSTRAINT community_project_plan_present CHECK (btrim(plan) <> '' AND length(plan) <= 5000),
    district_code     text NOT NULL CONSTRAINT community_project_district_fkey REFERENCES district (code),
    organisation_id   bigint NOT NULL CONSTRAINT community_project_organisation_fkey REFERENCES organisation (id),
    starts_on         date NOT NULL,
    ends_on           date NOT NULL,
    target_volunteers int NOT NULL CONSTRAINT community_project_target_volunteers_range CHECK (target_volunteers BETWEEN 0 AND 1000000),
    target_minutes    bigint NOT NULL CONSTRAINT community_project_target_minutes_range CHECK (target_minutes BETWEEN 0 AND 6000000000),
    recorded_by       text NOT NULL DEFAULT current_user,
    recorded_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT community_project_name_unique UNIQUE (district_code, name),
    CONSTRAINT community_project_period_order CHECK (ends_on >= starts_on)
);
CREATE INDEX community_project_by_organisation ON community_project (organisation_id);

CREATE FUNCTION vl_community_project_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM vl_rule('community_project_fixed', format('project "%s": recorded as it is, never rewritten', OLD.id));
    END IF;
    IF NEW.ends_on < NEW.starts_on THEN
        PERFORM vl_rule('community_project_period_order', format('ends_on "%s": before the project starts on %s', NEW.ends_on, NEW.starts_on));
    END IF;
    IF EXISTS (SELECT 1 FROM community_project p WHERE p.district_code = NEW.district_code AND p.name = NEW.name) THEN
        PERFORM vl_rule('community_project_name_unique', format('name "%s": the district has a project of that name', NEW.name));
    END IF;
    IF vl_organisation_status_on(NEW.organisation_id, NEW.starts_on) IS DISTINCT FROM 'active' THEN
        PERFORM vl_rule('community_project_organisation_active',
            format('org "%s": the organisation is %s when the project starts', NEW.organisation_id,
                   coalesce(vl_organisation_status_on(NEW.organisation_id, NEW.starts_on), 'unknown')));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER community_project_rules BEFORE INSERT OR UPDATE ON community_project
    FOR EACH ROW EXECUTE FUNCTION vl_community_project_rules();
CREATE TRIGGER community_project_fixed BEFORE DELETE ON community_project
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

-- An activity of a project lies in its period and its district (the district or one within it),
-- and an organiser puts an activity into a project only of an organisation they act for.
ALTER TABLE activity ADD COLUMN project_id bigint CONSTRAINT activity_project_fkey REFERENCES community_project (id);
CREATE INDEX activity_by_project ON activity (project_id) WHERE project_id IS NOT NULL;

CREATE FUNCTION vl_activity_project() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v_actor text := CASE WHEN current_setting('role') IN ('none', session_user::text) THEN session_user::text ELSE current_setting('role') END;
    p record;
    v_day date;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.project_id IS DISTINCT FROM OLD.project_id AND EXISTS (SELECT 1 FROM hours_entry e WHERE e.activity_id = OLD.id) THEN
        PERFORM vl_rule('activity_grouping_fixed',
            format('project "%s": activity %s has hours; its category, organisation and project no longer change', NEW.project_id, OLD.id));
    END IF;
    IF NEW.project_id IS NULL OR (TG_OP = 'UPDATE' AND NEW.project_id IS NOT DISTINCT FROM OLD.project_id
                                  AND NEW.starts_at IS NOT DISTINCT FROM OLD.starts_at AND NEW.district_code IS NOT DISTINCT FROM OLD.district_code) THEN
        RETURN NEW;
    END IF;
    SELECT * INTO p FROM community_project WHERE id = NEW.project_id;
    IF NOT FOUND THEN
        PERFORM vl_rule('activity_project_fkey', format('project "%s": no such project', NEW.project_id));
    END IF;
    v_day := (NEW.starts_at AT TIME ZONE vl_time_zone())::date;
    IF v_day NOT BETWEEN p.starts_on AND p.ends_on THEN
        PERFORM vl_rule('activity_project_period', format('project "%s": the activity''s day %s is outside the project''s period %s to %s',
                                                          NEW.project_id, v_day, p.starts_on, p.ends_on));
    END IF;
    IF NEW.district_code NOT LIKE p.district_code || '%' THEN
        PERFORM vl_rule('activity_project_district', format('project "%s": the activity''s district %s is not within the project''s district %s',
                                                            NEW.project_id, NEW.district_code, p.district_code));
    END IF;
    IF pg_has_role(v_actor, 'vledger_organiser', 'MEMBER') AND NOT vl_is_admin(v_actor) AND NOT vl_acts_for_organisation(p.organisation_id, v_actor) THEN
        PERFORM vl_rule('activity_project_acts_for', format('project "%s": login %s does not act for the project''s organisation', NEW.project_id, v_actor));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER activity_project BEFORE INSERT OR UPDATE OF project_id, starts_at, district_code ON activity
    FOR EACH ROW EXECUTE FUNCTION vl_activity_project();
GRANT UPDATE (project_id) ON activity TO vledger_organiser;

-- Community staff plan the projects of their district (or one within it); organisers those of
-- the organisations they act for; the office any.
CREATE FUNCTION vl_check_staff_project_district(p_district text, p_login text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    v_mine text := vl_login_district(p_login);
BEGIN
    IF p_district IS NULL OR v_mine IS NULL OR p_district NOT LIKE v_mine || '%' THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('district %s is not within your district %s: staff plan projects of their own district only', p_district, coalesce(v_mine, '(none)'));
    END IF;
    RETURN true;
END
$$;

SELECT vl_security_attach('community_project'), vl_audit_attach('community_project'), vl_stamp_attach('community_project');
GRANT INSERT ON community_project TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;
ALTER TABLE community_project ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON community_project TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON community_project FOR SELECT TO vledger_staff, vledger_organiser, vledger_office USING (true);
CREATE POLICY office_write ON community_project FOR INSERT TO vledger_office
    WITH CHECK (vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY staff_write ON community_project FOR INSERT TO vledger_staff
    WITH CHECK (vl_check_staff_project_district(district_code, current_user) AND vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY organiser_write ON community_project FOR INSERT TO vledger_organiser
    WITH CHECK (vl_check_acts_for_organisation(organisation_id, current_user) AND vl_check_recorded_by('recorded_by', recorded_by, current_user));
REVOKE ALL ON FUNCTION vl_check_staff_project_district(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_check_staff_project_district(text, text) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;
