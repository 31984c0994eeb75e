-- Withdrawing a mistaken survey wave, award or evaluation (issue 16 §3, §4).
--
-- The three are append-only (0170, 0180): a row is kept as recorded. Until now a wave typed with
-- the wrong figures stayed in the support rate for good, and a wrong award stayed on every
-- statement issued after it. A withdrawal (撤销) is a row of its own, never an edit:
--
--   survey_wave_withdrawal          (wave_id, reason, who, when)
--   volunteer_award_withdrawal      (award_id, …)
--   volunteer_evaluation_withdrawal (evaluation_id, …)
--
-- Once per row, with a reason; append-only and audited; written by whoever may write the row
-- itself (the office and admins for waves; the staff of the volunteer's district, the office and
-- admins for awards and evaluations). Readers leave out the rows withdrawn as of their moment: the
-- support rate, and the statements issued from now on. A replay of T (--as-recorded-at) reads the
-- withdrawals recorded by T, so figures filed before a withdrawal are reproduced to the digit, and
-- a statement already issued is reprinted as issued.
--
-- Recording the right wave again. One wave per district, day and method stays the rule, now among
-- the waves not withdrawn: each wave gets a generation, the number of waves recorded before it for
-- its district, day and method (set here, whatever the client sends), and the unique key becomes
-- (district, day, method, generation). A new wave for a key is refused while one of it is not
-- withdrawn. Two writers racing, or one reading an old snapshot, count the same generation and
-- meet the unique index; so at most one wave of a key counts at any moment. Awards likewise: one
-- per volunteer, name and day among those not withdrawn.

SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_schema()), true);

ALTER TABLE survey_wave ADD COLUMN generation int NOT NULL DEFAULT 0
    CONSTRAINT survey_wave_generation_range CHECK (generation >= 0);
ALTER TABLE survey_wave DROP CONSTRAINT survey_wave_once,
    ADD CONSTRAINT survey_wave_once UNIQUE (district_code, surveyed_on, method, generation);

ALTER TABLE volunteer_award ADD COLUMN generation int NOT NULL DEFAULT 0
    CONSTRAINT volunteer_award_generation_range CHECK (generation >= 0);
ALTER TABLE volunteer_award DROP CONSTRAINT volunteer_award_once,
    ADD CONSTRAINT volunteer_award_once UNIQUE (volunteer_id, name, awarded_on, generation);

CREATE TABLE survey_wave_withdrawal (
    wave_id     bigint NOT NULL CONSTRAINT survey_wave_withdrawal_wave_fkey REFERENCES survey_wave (id),
    reason      text NOT NULL CONSTRAINT survey_wave_withdrawal_reason_present CHECK (btrim(reason) <> '' AND length(reason) <= 200),
    recorded_by text NOT NULL DEFAULT current_user,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT survey_wave_withdrawal_once PRIMARY KEY (wave_id)
);

CREATE TABLE volunteer_award_withdrawal (
    award_id    bigint NOT NULL CONSTRAINT volunteer_award_withdrawal_award_fkey REFERENCES volunteer_award (id),
    reason      text NOT NULL CONSTRAINT volunteer_award_withdrawal_reason_present CHECK (btrim(reason) <> '' AND length(reason) <= 200),
    recorded_by text NOT NULL DEFAULT current_user,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT volunteer_award_withdrawal_once PRIMARY KEY (award_id)
);

CREATE TABLE volunteer_evaluation_withdrawal (
    evaluation_id bigint NOT NULL CONSTRAINT volunteer_evaluation_withdrawal_evaluation_fkey REFERENCES volunteer_evaluation (id),
    reason        text NOT NULL CONSTRAINT volunteer_evaluation_withdrawal_reason_present CHECK (btrim(reason) <> '' AND length(reason) <= 200),
    recorded_by   text NOT NULL DEFAULT current_user,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT volunteer_evaluation_withdrawal_once PRIMARY KEY (evaluation_id)
);

-- The rules with their field and value. Owner's rights: the row withdrawn is looked up whatever
-- the login reads.
CREATE FUNCTION vl_withdrawal_rules() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v_field text;
    v_id bigint;
    v_exists boolean;
    v_before timestamptz;
BEGIN
    CASE TG_TABLE_NAME
        WHEN 'survey_wave_withdrawal' THEN
            v_field := 'wave'; v_id := NEW.wave_id;
            v_exists := EXISTS (SELECT 1 FROM survey_wave w WHERE w.id = v_id);
            SELECT x.recorded_at INTO v_before FROM survey_wave_withdrawal x WHERE x.wave_id = v_id;
        WHEN 'volunteer_award_withdrawal' THEN
            v_field := 'award'; v_id := NEW.award_id;
            v_exists := EXISTS (SELECT 1 FROM volunteer_award a WHERE a.id = v_id);
            SELECT x.recorded_at INTO v_before FROM volunteer_award_withdrawal x WHERE x.award_id = v_id;
        ELSE
            v_field := 'evaluation'; v_id := NEW.evaluation_id;
            v_exists := EXISTS (SELECT 1 FROM volunteer_evaluation e WHERE e.id = v_id);
            SELECT x.recorded_at INTO v_before FROM volunteer_evaluation_withdrawal x WHERE x.evaluation_id = v_id;
    END CASE;
    IF NOT v_exists THEN
        PERFORM vl_raise(TG_TABLE_NAME || '_' || v_field || '_fkey', v_field, v_id::text, format('no %s %s', v_field, v_id));
    END IF;
    IF v_before IS NOT NULL THEN
        PERFORM vl_raise(TG_TABLE_NAME || '_once', v_field, v_id::text, format('%s %s was withdrawn on %s', v_field, v_id, vl_local_text(v_before)),
                         jsonb_build_object('at', vl_local_text(v_before)));
    END IF;
    IF NEW.reason IS NULL OR btrim(NEW.reason) = '' OR length(NEW.reason) > 200 THEN
        PERFORM vl_raise(TG_TABLE_NAME || '_reason_present', 'reason', left(NEW.reason, 60), 'must not be empty, at most 200 characters');
    END IF;
    RETURN NEW;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['survey_wave_withdrawal', 'volunteer_award_withdrawal', 'volunteer_evaluation_withdrawal'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON %I FOR EACH ROW EXECUTE FUNCTION vl_withdrawal_rules()', t || '_rules', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed()',
                       t || '_history_fixed', t);
        PERFORM vl_security_attach(t::regclass), vl_audit_attach(t::regclass), vl_stamp_attach(t::regclass);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY admin_all ON %I TO vledger_admin USING (true) WITH CHECK (true)', t);
        EXECUTE format('CREATE POLICY read_all ON %I FOR SELECT TO vledger_staff, vledger_organiser, vledger_office USING (true)', t);
        EXECUTE format('CREATE POLICY office_write ON %I FOR INSERT TO vledger_office WITH CHECK (vl_check_recorded_by(%L, recorded_by, current_user))',
                       t, 'recorded_by');
    END LOOP;
END
$$;

GRANT INSERT ON survey_wave_withdrawal TO vledger_office, vledger_admin;
GRANT INSERT ON volunteer_award_withdrawal, volunteer_evaluation_withdrawal TO vledger_staff, vledger_office, vledger_admin;
GRANT SELECT ON survey_wave_withdrawal, volunteer_award_withdrawal, volunteer_evaluation_withdrawal TO vledger_organiser;

-- Staff withdraw what they could have written: the awards and evaluations of their district's volunteers.
CREATE POLICY staff_write ON volunteer_award_withdrawal FOR INSERT TO vledger_staff
    WITH CHECK (vl_check_staff_volunteer((SELECT a.volunteer_id FROM volunteer_award a WHERE a.id = award_id), current_user)
                AND vl_check_recorded_by('recorded_by', recorded_by, current_user));
CREATE POLICY staff_write ON volunteer_evaluation_withdrawal FOR INSERT TO vledger_staff
    WITH CHECK (vl_check_staff_volunteer((SELECT e.volunteer_id FROM volunteer_evaluation e WHERE e.id = evaluation_id), current_user)
                AND vl_check_recorded_by('recorded_by', recorded_by, current_user));

-- 0180's rules, the one-wave-per-key rule now among the waves not withdrawn, and the generation.
CREATE OR REPLACE FUNCTION vl_survey_wave_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.method IS NULL OR NEW.method NOT IN ('household', 'street', 'phone', 'online') THEN
        PERFORM vl_raise('survey_wave_method_known', 'method', NEW.method, 'one of household (入户), street (街访), phone (电话), online (网络)');
    END IF;
    IF NEW.surveyed_on IS NULL OR NEW.surveyed_on < DATE '2000-01-01' THEN
        PERFORM vl_raise('survey_wave_date_range', 'on', NEW.surveyed_on::text, 'a survey day from 2000-01-01 on');
    END IF;
    IF NEW.surveyed_on > vl_city_today() THEN
        PERFORM vl_raise('survey_wave_not_future', 'on', NEW.surveyed_on::text, 'a wave is recorded once it was held');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM district d WHERE d.code = NEW.district_code) THEN
        PERFORM vl_raise('survey_wave_district_fkey', 'district', NEW.district_code, 'no such district');
    END IF;
    IF NEW.sample_size IS NULL OR NEW.sample_size <= 0 OR NEW.sample_size > 1000000 THEN
        PERFORM vl_raise('survey_wave_sample_positive', 'sample', NEW.sample_size::text, 'more than 0 and at most 1000000 answers');
    END IF;
    IF NEW.supportive IS NULL OR NEW.supportive < 0 OR NEW.supportive > NEW.sample_size THEN
        PERFORM vl_raise('survey_wave_supportive_range', 'supportive', NEW.supportive::text,
            format('between 0 and the sample size %s', NEW.sample_size), jsonb_build_object('sample', NEW.sample_size::text));
    END IF;
    IF EXISTS (SELECT 1 FROM survey_wave w
                WHERE w.district_code = NEW.district_code AND w.surveyed_on = NEW.surveyed_on AND w.method = NEW.method
                  AND NOT EXISTS (SELECT 1 FROM survey_wave_withdrawal x WHERE x.wave_id = w.id)) THEN
        PERFORM vl_raise('survey_wave_once', 'on', NEW.surveyed_on::text, 'this district already has a wave of this method on this day',
            jsonb_build_object('district', NEW.district_code, 'method', NEW.method));
    END IF;
    NEW.generation := (SELECT count(*) FROM survey_wave w
                        WHERE w.district_code = NEW.district_code AND w.surveyed_on = NEW.surveyed_on AND w.method = NEW.method);
    RETURN NEW;
END
$$;

-- 0170's rules, the one-award-per-volunteer-name-and-day rule among the awards not withdrawn.
CREATE OR REPLACE FUNCTION vl_volunteer_recognition_rules() RETURNS trigger
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
        IF EXISTS (SELECT 1 FROM volunteer_award a
                    WHERE a.volunteer_id = NEW.volunteer_id AND a.name = NEW.name AND a.awarded_on = NEW.awarded_on
                      AND NOT EXISTS (SELECT 1 FROM volunteer_award_withdrawal x WHERE x.award_id = a.id)) THEN
            PERFORM vl_raise('volunteer_award_once', 'name', NEW.name, format('volunteer %s already has this award on %s', v.number, NEW.awarded_on),
                             jsonb_build_object('volunteer', v.number, 'on', NEW.awarded_on::text));
        END IF;
        NEW.generation := (SELECT count(*) FROM volunteer_award a
                            WHERE a.volunteer_id = NEW.volunteer_id AND a.name = NEW.name AND a.awarded_on = NEW.awarded_on);
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

-- A statement issued at p_moment leaves out what was withdrawn by then (one already issued keeps
-- its sections: they are stored with it).
CREATE OR REPLACE FUNCTION vl_statement_awards(p_volunteer bigint, p_from date, p_to date, p_moment timestamptz) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('name', a.name, 'date', a.awarded_on, 'body', a.body) ORDER BY a.awarded_on, a.id), '[]'::jsonb)
      FROM volunteer_award a
     WHERE a.volunteer_id = p_volunteer AND a.awarded_on BETWEEN p_from AND p_to AND a.recorded_at <= p_moment
       AND NOT EXISTS (SELECT 1 FROM volunteer_award_withdrawal x WHERE x.award_id = a.id AND x.recorded_at <= p_moment)
$$;

CREATE OR REPLACE FUNCTION vl_statement_evaluations(p_volunteer bigint, p_from date, p_to date, p_moment timestamptz) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('date', e.evaluated_on, 'score', e.score, 'grade', e.grade, 'evaluator', e.evaluator, 'note', e.note)
                              ORDER BY e.evaluated_on, e.id), '[]'::jsonb)
      FROM volunteer_evaluation e
     WHERE e.volunteer_id = p_volunteer AND e.evaluated_on BETWEEN p_from AND p_to AND e.recorded_at <= p_moment
       AND NOT EXISTS (SELECT 1 FROM volunteer_evaluation_withdrawal x WHERE x.evaluation_id = e.id AND x.recorded_at <= p_moment)
$$;

SELECT count(*) AS pinned FROM vl_pin_search_path();
