-- Individual answers of the support-rate survey (issue 16 §4): a surveyor often hands over one
-- row per citizen asked instead of a wave's totals. vledger keeps the answers beside the wave they
-- make up, so that a wave's sample and supportive counts can be traced to the answers behind them.
--
-- The rule: a wave that has answers has exactly as many as its sample, and exactly its supportive
-- count of them supportive; checked when the transaction commits (the wave is written first, then
-- its answers), so a wave is never left half-answered and no answer can be added to a wave later.
-- Answers name no one: `respondent` is the surveyor's own questionnaire number, at most 40
-- characters, never a name, phone or ID number (an ID-number-shaped value is refused).
-- Who writes: the office and the admin, as for waves. Append-only.
CREATE TABLE survey_response (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wave_id      bigint NOT NULL CONSTRAINT survey_response_wave_fkey REFERENCES survey_wave (id),
    ordinal      int NOT NULL CONSTRAINT survey_response_ordinal_positive CHECK (ordinal > 0),
    supportive   boolean NOT NULL,
    respondent   text CONSTRAINT survey_response_respondent_anonymous
                      CHECK (btrim(respondent) <> '' AND length(respondent) <= 40 AND respondent !~ '^[0-9]{17}[0-9Xx]$' AND respondent !~ '^1[0-9]{10}$'),
    recorded_by  text NOT NULL DEFAULT current_user,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT survey_response_once UNIQUE (wave_id, ordinal)
);

CREATE FUNCTION vl_survey_response_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM survey_wave w WHERE w.id = NEW.wave_id) THEN
        PERFORM vl_raise('survey_response_wave_fkey', 'wave', NEW.wave_id::text, 'no such survey wave');
    END IF;
    IF NEW.ordinal IS NULL OR NEW.ordinal <= 0 THEN
        PERFORM vl_raise('survey_response_ordinal_positive', 'ordinal', NEW.ordinal::text, 'answers are numbered from 1');
    END IF;
    IF NEW.supportive IS NULL THEN
        PERFORM vl_raise('survey_response_answer_given', 'supportive', NULL, 'each answer is supportive or not');
    END IF;
    IF NEW.respondent IS NOT NULL AND (btrim(NEW.respondent) = '' OR length(NEW.respondent) > 40
            OR NEW.respondent ~ '^[0-9]{17}[0-9Xx]$' OR NEW.respondent ~ '^1[0-9]{10}$') THEN
        -- The value is not repeated: it may be personal.
        PERFORM vl_raise('survey_response_respondent_anonymous', 'respondent', NULL,
            'a questionnaire number of at most 40 characters, never a name, phone or ID number');
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER survey_response_rules BEFORE INSERT ON survey_response
    FOR EACH ROW EXECUTE FUNCTION vl_survey_response_rules();
CREATE TRIGGER survey_response_history_fixed BEFORE UPDATE OR DELETE ON survey_response
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

-- At commit: every wave that received answers in the transaction is made up of them exactly.
-- SECURITY DEFINER so that the count sees every answer of the wave, whatever the login may read.
CREATE FUNCTION vl_survey_response_totals() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public
    AS $$
DECLARE
    v_sample int;
    v_supportive int;
    v_answers int;
    v_yes int;
BEGIN
    SELECT w.sample_size, w.supportive INTO v_sample, v_supportive FROM survey_wave w WHERE w.id = NEW.wave_id;
    SELECT count(*), count(*) FILTER (WHERE r.supportive) INTO v_answers, v_yes FROM survey_response r WHERE r.wave_id = NEW.wave_id;
    IF v_answers <> v_sample OR v_yes <> v_supportive THEN
        PERFORM vl_raise('survey_response_totals', 'wave', NEW.wave_id::text,
            format('wave %s has %s answers, %s supportive, but records a sample of %s with %s supportive',
                   NEW.wave_id, v_answers, v_yes, v_sample, v_supportive),
            jsonb_build_object('answers', v_answers::text, 'yes', v_yes::text, 'sample', v_sample::text, 'supportive', v_supportive::text));
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION vl_survey_response_totals() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER survey_response_totals AFTER INSERT ON survey_response
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION vl_survey_response_totals();

SELECT vl_security_attach('survey_response'), vl_audit_attach('survey_response'), vl_stamp_attach('survey_response');
GRANT INSERT ON survey_response TO vledger_office, vledger_admin;

ALTER TABLE survey_response ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON survey_response TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON survey_response FOR SELECT TO vledger_staff, vledger_organiser, vledger_office USING (true);
CREATE POLICY office_write ON survey_response FOR INSERT TO vledger_office
    WITH CHECK (vl_check_recorded_by('recorded_by', recorded_by, current_user));
