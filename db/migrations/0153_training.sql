-- Registration training (注册培训, issue 15). 民政部《志愿服务记录与证明出具办法》第八条 records
-- training apart from service: name, content, hours of study, organiser, date. It never counts
-- toward service hours: nothing here reaches hours_entry, the rollups or the figures of
-- service. A statement shows the training of its period in a section of its own
-- (statement_issue.training, filled by the database when the statement is issued).
--
--   training_course      a course; an organiser creates courses only for an organisation they act for
--   training_attendance  a volunteer's attendance: minutes of study (at most the course's), and an
--                        optional certificate with its number and expiry date. Append-only.
CREATE TABLE training_course (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL CONSTRAINT training_course_name_present CHECK (btrim(name) <> '' AND length(name) <= 200),
    content         text NOT NULL CONSTRAINT training_course_content_present CHECK (btrim(content) <> '' AND length(content) <= 2000),
    study_minutes   int NOT NULL CONSTRAINT training_course_study_minutes_range CHECK (study_minutes BETWEEN 1 AND 10000),
    organiser       text NOT NULL CONSTRAINT training_course_organiser_present CHECK (btrim(organiser) <> '' AND length(organiser) <= 100),
    organisation_id bigint CONSTRAINT training_course_organisation_fkey REFERENCES organisation (id),
    held_on         date NOT NULL,
    recorded_by     text NOT NULL DEFAULT current_user,
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE training_attendance (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id              bigint NOT NULL CONSTRAINT training_attendance_course_fkey REFERENCES training_course (id),
    volunteer_id           bigint NOT NULL CONSTRAINT training_attendance_volunteer_fkey REFERENCES volunteer (id),
    study_minutes          int NOT NULL CONSTRAINT training_attendance_study_minutes_positive CHECK (study_minutes > 0),
    certificate_number     text CONSTRAINT training_attendance_certificate_length CHECK (btrim(certificate_number) <> '' AND length(certificate_number) <= 100),
    certificate_expires_on date,
    recorded_by            text NOT NULL DEFAULT current_user,
    recorded_at            timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT training_attendance_once UNIQUE (course_id, volunteer_id),
    CONSTRAINT training_attendance_expiry_with_certificate CHECK (certificate_expires_on IS NULL OR certificate_number IS NOT NULL)
);
CREATE INDEX training_attendance_by_volunteer ON training_attendance (volunteer_id);
CREATE INDEX training_attendance_expiring ON training_attendance (certificate_expires_on) WHERE certificate_expires_on IS NOT NULL;

CREATE FUNCTION vl_training_course_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM vl_rule('training_course_fixed', format('course "%s": recorded as it is, never rewritten', OLD.id));
    END IF;
    IF NEW.study_minutes IS NULL OR NEW.study_minutes NOT BETWEEN 1 AND 10000 THEN
        PERFORM vl_rule('training_course_study_minutes_range', format('hours "%s": study time must be more than 0 and at most 10000 minutes', round(NEW.study_minutes / 60.0, 2)));
    END IF;
    IF NEW.held_on > vl_city_today() THEN
        PERFORM vl_rule('training_course_not_future', format('on "%s": a course is recorded once it was held', NEW.held_on));
    END IF;
    IF NEW.organisation_id IS NOT NULL AND vl_organisation_status_on(NEW.organisation_id, NEW.held_on) IS DISTINCT FROM 'active' THEN
        PERFORM vl_rule('training_course_organisation_active',
            format('org "%s": the organisation is %s on the day of the course', NEW.organisation_id,
                   coalesce(vl_organisation_status_on(NEW.organisation_id, NEW.held_on), 'unknown')));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER training_course_rules BEFORE INSERT OR UPDATE ON training_course
    FOR EACH ROW EXECUTE FUNCTION vl_training_course_rules();
CREATE TRIGGER training_course_fixed BEFORE DELETE ON training_course
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

CREATE FUNCTION vl_training_attendance_rules() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    c record;
    v record;
BEGIN
    SELECT id, study_minutes, held_on INTO c FROM training_course WHERE id = NEW.course_id;
    IF NOT FOUND THEN
        PERFORM vl_rule('training_attendance_course_fkey', format('course "%s": no such course', NEW.course_id));
    END IF;
    SELECT number, registered_on INTO v FROM volunteer WHERE id = NEW.volunteer_id;
    IF NOT FOUND THEN
        PERFORM vl_rule('training_attendance_volunteer_fkey', format('volunteer "%s": no such volunteer', NEW.volunteer_id));
    END IF;
    IF NEW.study_minutes IS NULL THEN
        NEW.study_minutes := c.study_minutes;
    END IF;
    IF NEW.study_minutes <= 0 OR NEW.study_minutes > c.study_minutes THEN
        PERFORM vl_rule('training_attendance_study_minutes_range',
            format('hours "%s": more than 0 and at most the course''s %s hours', round(NEW.study_minutes / 60.0, 2), round(c.study_minutes / 60.0, 2)));
    END IF;
    IF EXISTS (SELECT 1 FROM training_attendance a WHERE a.course_id = NEW.course_id AND a.volunteer_id = NEW.volunteer_id) THEN
        PERFORM vl_rule('training_attendance_once', format('volunteer "%s": already recorded as attending course %s', v.number, NEW.course_id));
    END IF;
    IF NEW.certificate_expires_on IS NOT NULL AND NEW.certificate_number IS NULL THEN
        PERFORM vl_rule('training_attendance_expiry_with_certificate', 'expires: an expiry date belongs to a certificate (give its number)');
    END IF;
    IF NEW.certificate_expires_on <= c.held_on THEN
        PERFORM vl_rule('training_attendance_expiry_after_course',
            format('expires "%s": not after the course was held on %s', NEW.certificate_expires_on, c.held_on));
    END IF;
    IF EXISTS (SELECT 1 FROM volunteer_deregistration d WHERE d.volunteer_id = NEW.volunteer_id AND d.effective_on <= c.held_on) THEN
        PERFORM vl_rule('training_attendance_registered', format('volunteer "%s": had left the register by the day of the course', v.number));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER training_attendance_rules BEFORE INSERT ON training_attendance
    FOR EACH ROW EXECUTE FUNCTION vl_training_attendance_rules();
CREATE TRIGGER training_attendance_history_fixed BEFORE UPDATE OR DELETE ON training_attendance
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

-- The course's organisation, for the attendance policy (owner's rights: reads the course whatever the caller reads).
CREATE FUNCTION vl_training_course_organisation(p_course bigint) RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT organisation_id FROM training_course WHERE id = p_course $$;

SELECT vl_security_attach(t), vl_audit_attach(t), vl_stamp_attach(t)
  FROM unnest(ARRAY['training_course', 'training_attendance']::regclass[]) t;
GRANT INSERT ON training_course, training_attendance TO vledger_organiser, vledger_office, vledger_admin;

ALTER TABLE training_course ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_attendance ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON training_course TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON training_course FOR SELECT TO vledger_staff, vledger_organiser, vledger_office USING (true);
CREATE POLICY office_write ON training_course FOR INSERT TO vledger_office
    WITH CHECK (vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY organiser_write ON training_course FOR INSERT TO vledger_organiser
    WITH CHECK (vl_check_acts_for_organisation(organisation_id, current_user) AND vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY admin_all ON training_attendance TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON training_attendance FOR SELECT TO vledger_staff, vledger_organiser, vledger_office USING (true);
CREATE POLICY office_write ON training_attendance FOR INSERT TO vledger_office
    WITH CHECK (vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY organiser_write ON training_attendance FOR INSERT TO vledger_organiser
    WITH CHECK (vl_check_acts_for_organisation(vl_training_course_organisation(course_id), current_user)
                AND vl_check_recorded_by('recorded_by', recorded_by, current_user));
REVOKE ALL ON FUNCTION vl_training_course_organisation(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_training_course_organisation(bigint) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;

-- The training of a statement's period, as recorded when it is issued: the statement's own
-- section, beside (never inside) its approved service hours.
ALTER TABLE statement_issue ADD COLUMN training jsonb;

CREATE FUNCTION vl_statement_training(p_volunteer bigint, p_from date, p_to date, p_moment timestamptz) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'course', c.name, 'content', c.content, 'organiser', c.organiser, 'date', c.held_on,
               'study_minutes', a.study_minutes, 'certificate_number', a.certificate_number,
               'certificate_expires_on', a.certificate_expires_on) ORDER BY c.held_on, c.id), '[]'::jsonb)
      FROM training_attendance a JOIN training_course c ON c.id = a.course_id
     WHERE a.volunteer_id = p_volunteer AND c.held_on BETWEEN p_from AND p_to AND a.recorded_at <= p_moment
$$;

CREATE FUNCTION vl_statement_issue_training() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    IF NEW.activities IS NOT NULL THEN
        NEW.training := vl_statement_training(NEW.volunteer_id, NEW.period_from, NEW.period_to, NEW.issued_at);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER statement_issue_training BEFORE INSERT ON statement_issue
    FOR EACH ROW EXECUTE FUNCTION vl_statement_issue_training();
ALTER TABLE statement_issue ENABLE ALWAYS TRIGGER statement_issue_training;

-- Number and name of an attendee (what vl_volunteer_lookup shows anyone), so that a training
-- listing does not depend on which district's volunteers the reader may see in full.
CREATE FUNCTION vl_training_volunteer(p_volunteer bigint) RETURNS TABLE (number text, name text)
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT v.number, v.name FROM volunteer v WHERE v.id = p_volunteer $$;
REVOKE ALL ON FUNCTION vl_training_volunteer(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_training_volunteer(bigint) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;
