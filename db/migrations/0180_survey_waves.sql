-- The support-rate survey (市民对志愿服务活动认同和支持率 ≥ 90 %, issue 16 §4). The evaluation
-- asks citizens whether they know and support volunteer service; the office commissions the
-- survey (often a third party) and records each wave: the day, how it was asked (入户 household,
-- 街访 street, 电话 phone, 网络 online), the district, how many answered and how many answered
-- supportively. vledger pools the waves of a year per district and for the city.
--
-- Who writes: the office and the admin only. Community staff do not: a district recording its
-- own support rate would grade itself. Everyone reads (no personal data: counts only).
-- Append-only: a wave is kept as recorded, and replays (--as-recorded-at) read recorded_at.
CREATE TABLE survey_wave (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    surveyed_on   date NOT NULL,
    method        text NOT NULL CONSTRAINT survey_wave_method_known CHECK (method IN ('household', 'street', 'phone', 'online')),
    district_code text NOT NULL CONSTRAINT survey_wave_district_fkey REFERENCES district (code),
    sample_size   int NOT NULL CONSTRAINT survey_wave_sample_positive CHECK (sample_size > 0 AND sample_size <= 1000000),
    supportive    int NOT NULL CONSTRAINT survey_wave_supportive_range CHECK (supportive >= 0 AND supportive <= sample_size),
    surveyor      text CONSTRAINT survey_wave_surveyor_length CHECK (btrim(surveyor) <> '' AND length(surveyor) <= 100),
    recorded_by   text NOT NULL DEFAULT current_user,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- One wave per district, day and method: the same wave entered twice would count twice.
    CONSTRAINT survey_wave_once UNIQUE (district_code, surveyed_on, method)
);
CREATE INDEX survey_wave_by_day ON survey_wave (surveyed_on);

-- The rules with their fields (the checks above stay as the last line of defence).
CREATE FUNCTION vl_survey_wave_rules() RETURNS trigger
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
    IF EXISTS (SELECT 1 FROM survey_wave w WHERE w.district_code = NEW.district_code AND w.surveyed_on = NEW.surveyed_on AND w.method = NEW.method) THEN
        PERFORM vl_raise('survey_wave_once', 'on', NEW.surveyed_on::text, 'this district already has a wave of this method on this day',
            jsonb_build_object('district', NEW.district_code, 'method', NEW.method));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER survey_wave_rules BEFORE INSERT ON survey_wave
    FOR EACH ROW EXECUTE FUNCTION vl_survey_wave_rules();
CREATE TRIGGER survey_wave_history_fixed BEFORE UPDATE OR DELETE ON survey_wave
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

SELECT vl_security_attach('survey_wave'), vl_audit_attach('survey_wave'), vl_stamp_attach('survey_wave');
GRANT INSERT ON survey_wave TO vledger_office, vledger_admin;

ALTER TABLE survey_wave ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON survey_wave TO vledger_admin USING (true) WITH CHECK (true);
CREATE POLICY read_all ON survey_wave FOR SELECT TO vledger_staff, vledger_organiser, vledger_office USING (true);
CREATE POLICY office_write ON survey_wave FOR INSERT TO vledger_office
    WITH CHECK (vl_check_recorded_by('recorded_by', recorded_by, current_user));
