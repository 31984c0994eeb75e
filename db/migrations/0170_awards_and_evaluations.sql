-- Awards (表彰奖励) and service-quality evaluations (评价) per volunteer (issue 16 §3):
-- 民政部《志愿服务记录与证明出具办法》 counts both as part of a volunteer's record, so a statement
-- shows them in sections of their own (statement_issue.awards / .evaluations, filled by the
-- database when the statement is issued, never by vl_statement_issue's caller).
--
--   volunteer_award       name, date, granting body; append-only
--   volunteer_evaluation  a score (0–100) or a grade (excellent/good/pass/fail), date, evaluator; append-only
--
-- Who writes them: the staff of the volunteer's district (today's district, as for every other
-- change to a volunteer, vl_check_staff_volunteer), the office and admins. Organisers do not:
-- an award or an evaluation is the community's or the office's word, not the organiser's who
-- records the hours. Every day-to-day role reads them (no personal data here).
CREATE TABLE volunteer_award (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    volunteer_id  bigint NOT NULL CONSTRAINT volunteer_award_volunteer_fkey REFERENCES volunteer (id),
    name          text NOT NULL CONSTRAINT volunteer_award_name_present CHECK (btrim(name) <> '' AND length(name) <= 200),
    awarded_on    date NOT NULL,
    body          text NOT NULL CONSTRAINT volunteer_award_body_present CHECK (btrim(body) <> '' AND length(body) <= 100),
    recorded_by   text NOT NULL DEFAULT current_user,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT volunteer_award_once UNIQUE (volunteer_id, name, awarded_on)
);
CREATE INDEX volunteer_award_by_volunteer ON volunteer_award (volunteer_id, awarded_on);

CREATE TABLE volunteer_evaluation (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    volunteer_id  bigint NOT NULL CONSTRAINT volunteer_evaluation_volunteer_fkey REFERENCES volunteer (id),
    evaluated_on  date NOT NULL,
    score         int CONSTRAINT volunteer_evaluation_score_range CHECK (score BETWEEN 0 AND 100),
    grade         text CONSTRAINT volunteer_evaluation_grade_known CHECK (grade IN ('excellent', 'good', 'pass', 'fail')),
    evaluator     text NOT NULL CONSTRAINT volunteer_evaluation_evaluator_present CHECK (btrim(evaluator) <> '' AND length(evaluator) <= 100),
    note          text CONSTRAINT volunteer_evaluation_note_length CHECK (length(note) <= 500),
    recorded_by   text NOT NULL DEFAULT current_user,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT volunteer_evaluation_score_or_grade CHECK ((score IS NULL) <> (grade IS NULL))
);
CREATE INDEX volunteer_evaluation_by_volunteer ON volunteer_evaluation (volunteer_id, evaluated_on);

-- The rules with their field and value (the CHECKs above stay as the last word).
CREATE FUNCTION vl_volunteer_recognition_rules() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v record;
    v_day date;
BEGIN
    SELECT number, registered_on INTO v FROM volunteer WHERE id = NEW.volunteer_id;
    IF NOT FOUND THEN
        PERFORM vl_raise(TG_TABLE_NAME || '_volunteer_fkey', 'volunteer', NEW.volunteer_id::text, 'no such volunteer');
    END IF;
    IF TG_TABLE_NAME = 'volunteer_award' THEN
        v_day := NEW.awarded_on;
        IF NEW.name IS NULL OR btrim(NEW.name) = '' OR length(NEW.name) > 200 THEN
            PERFORM vl_raise('volunteer_award_name_present', 'name', left(NEW.name, 60), 'must not be empty, at most 200 characters');
        END IF;
        IF NEW.body IS NULL OR btrim(NEW.body) = '' OR length(NEW.body) > 100 THEN
            PERFORM vl_raise('volunteer_award_body_present', 'body', left(NEW.body, 60), 'must not be empty, at most 100 characters');
        END IF;
        IF EXISTS (SELECT 1 FROM volunteer_award a WHERE a.volunteer_id = NEW.volunteer_id AND a.name = NEW.name AND a.awarded_on = NEW.awarded_on) THEN
            PERFORM vl_raise('volunteer_award_once', 'name', NEW.name, format('volunteer %s already has this award on %s', v.number, NEW.awarded_on),
                             jsonb_build_object('volunteer', v.number, 'on', NEW.awarded_on::text));
        END IF;
    ELSE
        v_day := NEW.evaluated_on;
        IF (NEW.score IS NULL) = (NEW.grade IS NULL) THEN
            PERFORM vl_raise('volunteer_evaluation_score_or_grade', 'score', NULL, 'give a score (0–100) or a grade, one of them');
        END IF;
        IF NEW.score NOT BETWEEN 0 AND 100 THEN
            PERFORM vl_raise('volunteer_evaluation_score_range', 'score', NEW.score::text, 'a score is a whole number from 0 to 100');
        END IF;
        IF NEW.grade NOT IN ('excellent', 'good', 'pass', 'fail') THEN
            PERFORM vl_raise('volunteer_evaluation_grade_known', 'grade', left(NEW.grade, 60), 'one of excellent, good, pass, fail (优秀, 良好, 合格, 不合格)');
        END IF;
        IF NEW.evaluator IS NULL OR btrim(NEW.evaluator) = '' OR length(NEW.evaluator) > 100 THEN
            PERFORM vl_raise('volunteer_evaluation_evaluator_present', 'evaluator', left(NEW.evaluator, 60), 'must not be empty, at most 100 characters');
        END IF;
    END IF;
    IF v_day > vl_city_today() THEN
        PERFORM vl_raise(TG_TABLE_NAME || '_not_future', 'on', v_day::text, format('a date after today (%s)', vl_city_today()),
                         jsonb_build_object('today', vl_city_today()::text));
    END IF;
    IF v_day < v.registered_on THEN
        PERFORM vl_raise(TG_TABLE_NAME || '_registered', 'on', v_day::text, format('before volunteer %s registered on %s', v.number, v.registered_on),
                         jsonb_build_object('volunteer', v.number, 'registered_on', v.registered_on::text));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER volunteer_award_rules BEFORE INSERT ON volunteer_award
    FOR EACH ROW EXECUTE FUNCTION vl_volunteer_recognition_rules();
CREATE TRIGGER volunteer_evaluation_rules BEFORE INSERT ON volunteer_evaluation
    FOR EACH ROW EXECUTE FUNCTION vl_volunteer_recognition_rules();
CREATE TRIGGER volunteer_award_history_fixed BEFORE UPDATE OR DELETE ON volunteer_award
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();
CREATE TRIGGER volunteer_evaluation_history_fixed BEFORE UPDATE OR DELETE ON volunteer_evaluation
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

SELECT vl_security_attach(t), vl_audit_attach(t), vl_stamp_attach(t)
  FROM unnest(ARRAY['volunteer_award', 'volunteer_evaluation']::regclass[]) t;
GRANT INSERT ON volunteer_award, volunteer_evaluation TO vledger_staff, vledger_office, vledger_admin;
GRANT SELECT ON volunteer_award, volunteer_evaluation TO vledger_organiser;

ALTER TABLE volunteer_award ENABLE ROW LEVEL SECURITY;
ALTER TABLE volunteer_evaluation ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON volunteer_award TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON volunteer_award FOR SELECT TO vledger_staff, vledger_organiser, vledger_office USING (true);
CREATE POLICY office_write ON volunteer_award FOR INSERT TO vledger_office
    WITH CHECK (vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY staff_write ON volunteer_award FOR INSERT TO vledger_staff
    WITH CHECK (vl_check_staff_volunteer(volunteer_id, current_user) AND vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY admin_all ON volunteer_evaluation TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON volunteer_evaluation FOR SELECT TO vledger_staff, vledger_organiser, vledger_office USING (true);
CREATE POLICY office_write ON volunteer_evaluation FOR INSERT TO vledger_office
    WITH CHECK (vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY staff_write ON volunteer_evaluation FOR INSERT TO vledger_staff
    WITH CHECK (vl_check_staff_volunteer(volunteer_id, current_user) AND vl_check_recorded_by('recorded_by', recorded_by, current_user));

-- The statement's sections: the awards and evaluations dated in its period, as recorded when it
-- is issued; beside (never inside) its approved service hours.
ALTER TABLE statement_issue ADD COLUMN awards jsonb, ADD COLUMN evaluations jsonb;

CREATE FUNCTION vl_statement_awards(p_volunteer bigint, p_from date, p_to date, p_moment timestamptz) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('name', a.name, 'date', a.awarded_on, 'body', a.body) ORDER BY a.awarded_on, a.id), '[]'::jsonb)
      FROM volunteer_award a
     WHERE a.volunteer_id = p_volunteer AND a.awarded_on BETWEEN p_from AND p_to AND a.recorded_at <= p_moment
$$;

CREATE FUNCTION vl_statement_evaluations(p_volunteer bigint, p_from date, p_to date, p_moment timestamptz) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('date', e.evaluated_on, 'score', e.score, 'grade', e.grade, 'evaluator', e.evaluator, 'note', e.note)
                              ORDER BY e.evaluated_on, e.id), '[]'::jsonb)
      FROM volunteer_evaluation e
     WHERE e.volunteer_id = p_volunteer AND e.evaluated_on BETWEEN p_from AND p_to AND e.recorded_at <= p_moment
$$;

CREATE FUNCTION vl_statement_issue_recognition() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    IF NEW.activities IS NOT NULL THEN
        NEW.awards := vl_statement_awards(NEW.volunteer_id, NEW.period_from, NEW.period_to, NEW.issued_at);
        NEW.evaluations := vl_statement_evaluations(NEW.volunteer_id, NEW.period_from, NEW.period_to, NEW.issued_at);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER statement_issue_recognition BEFORE INSERT ON statement_issue
    FOR EACH ROW EXECUTE FUNCTION vl_statement_issue_recognition();
ALTER TABLE statement_issue ENABLE ALWAYS TRIGGER statement_issue_recognition;
REVOKE ALL ON FUNCTION vl_statement_awards(bigint, date, date, timestamptz), vl_statement_evaluations(bigint, date, date, timestamptz) FROM PUBLIC;
