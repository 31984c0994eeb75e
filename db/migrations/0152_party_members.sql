-- Party members (issue 15, 党员志愿服务): a volunteer's 中共党员 status as community staff
-- recorded it, from a date on. Append-only: a change is a new row, so a figure for a past year
-- uses the status as it stood then, and a replay "as recorded at" T ignores rows recorded after T.
-- Political affiliation is personal: read by the staff of the volunteer's district, the office
-- (figures) and admins; not by organisers.
CREATE TABLE volunteer_party_status (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    volunteer_id bigint NOT NULL CONSTRAINT volunteer_party_status_volunteer_fkey REFERENCES volunteer (id),
    party_member boolean NOT NULL,
    effective_on date NOT NULL,
    recorded_by  text NOT NULL DEFAULT current_user,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX volunteer_party_status_replay ON volunteer_party_status (volunteer_id, effective_on DESC, recorded_at DESC);

CREATE FUNCTION vl_party_status_rules() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v record;
BEGIN
    SELECT number, registered_on INTO v FROM volunteer WHERE id = NEW.volunteer_id;
    IF NOT FOUND THEN
        PERFORM vl_rule('volunteer_party_status_volunteer_fkey', format('volunteer "%s": no such volunteer', NEW.volunteer_id));
    END IF;
    IF NEW.effective_on < v.registered_on THEN
        PERFORM vl_rule('volunteer_party_status_registered',
            format('on "%s": volunteer %s registered only on %s', NEW.effective_on, v.number, v.registered_on));
    END IF;
    IF NEW.effective_on > vl_city_today() THEN
        PERFORM vl_rule('volunteer_party_status_not_future', format('on "%s": in the future', NEW.effective_on));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER volunteer_party_status_rules BEFORE INSERT ON volunteer_party_status
    FOR EACH ROW EXECUTE FUNCTION vl_party_status_rules();
CREATE TRIGGER volunteer_party_status_history_fixed BEFORE UPDATE OR DELETE ON volunteer_party_status
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

-- Whether a volunteer was a party member on a day, as recorded at a moment (NULL: now): the
-- latest row effective by the day among those recorded by the moment; of two rows for the same
-- day the later recorded (a correction); no row, not a member.
CREATE FUNCTION vl_party_member_on(p_volunteer bigint, p_day date, p_as_recorded_at timestamptz DEFAULT NULL) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce((SELECT s.party_member FROM volunteer_party_status s
                      WHERE s.volunteer_id = p_volunteer AND s.effective_on <= p_day
                        AND (p_as_recorded_at IS NULL OR s.recorded_at <= p_as_recorded_at)
                      ORDER BY s.effective_on DESC, s.recorded_at DESC, s.id DESC LIMIT 1), false)
$$;

SELECT vl_security_attach('volunteer_party_status');
SELECT vl_audit_attach('volunteer_party_status');
SELECT vl_stamp_attach('volunteer_party_status');
REVOKE SELECT ON volunteer_party_status FROM vledger_organiser;
GRANT INSERT ON volunteer_party_status TO vledger_staff, vledger_admin;

ALTER TABLE volunteer_party_status ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON volunteer_party_status TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY office_read ON volunteer_party_status FOR SELECT TO vledger_office USING (true);
CREATE POLICY staff_read ON volunteer_party_status FOR SELECT TO vledger_staff
    USING (volunteer_id IN (SELECT f.id FROM vl_district_volunteers(current_user) AS f(id)));
CREATE POLICY staff_write ON volunteer_party_status FOR INSERT TO vledger_staff
    WITH CHECK (vl_check_staff_volunteer(volunteer_id, current_user) AND vl_check_recorded_by('recorded_by', recorded_by, current_user));
