-- Settings are checked when they are set (issue 12 §5): `minimum_age = 'abc'` used to be stored
-- and then silently read as the default. One trigger knows every setting vledger reads; a
-- setting it does not know (one a later version adds) is only bounded in length (0110).
CREATE FUNCTION vl_setting_valid() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    shown text := left(NEW.value, 60);
    parts text[];
BEGIN
    CASE NEW.name
    WHEN 'time_zone' THEN
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names WHERE name = NEW.value) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'setting_time_zone_known',
                MESSAGE = format('vledger: time_zone "%s": not a time zone name PostgreSQL knows (like Asia/Shanghai)', shown);
        END IF;
    WHEN 'minimum_age' THEN
        IF (CASE WHEN NEW.value ~ '^[0-9]{1,3}$' THEN NEW.value::int NOT BETWEEN 1 AND 100 ELSE true END) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'setting_minimum_age_valid',
                MESSAGE = format('vledger: minimum_age "%s": must be a whole number of years from 1 to 100', shown);
        END IF;
    WHEN 'daily_hours_limit' THEN
        IF (CASE WHEN NEW.value ~ '^[0-9]{1,2}$' THEN NEW.value::int NOT BETWEEN 1 AND 24 ELSE true END) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'setting_daily_hours_limit_valid',
                MESSAGE = format('vledger: daily_hours_limit "%s": must be a whole number of hours from 1 to 24', shown);
        END IF;
    WHEN 'late_recording_days' THEN
        IF (CASE WHEN NEW.value ~ '^[0-9]{1,4}$' THEN NEW.value::int > 3650 ELSE true END) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'setting_late_recording_days_valid',
                MESSAGE = format('vledger: late_recording_days "%s": must be a whole number of days from 0 to 3650', shown);
        END IF;
    WHEN 'recorder_hourly_entries_limit' THEN
        IF (CASE WHEN NEW.value ~ '^[0-9]{1,6}$' THEN NEW.value::int NOT BETWEEN 1 AND 100000 ELSE true END) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'setting_recorder_hourly_entries_limit_valid',
                MESSAGE = format('vledger: recorder_hourly_entries_limit "%s": must be a whole number of entries from 1 to 100000', shown);
        END IF;
    WHEN 'star_thresholds_hours' THEN
        parts := string_to_array(replace(NEW.value, ' ', ''), ',');
        IF (CASE WHEN NEW.value ~ '^ *[0-9]{1,6}( *, *[0-9]{1,6}){4} *$'
                 THEN parts[1]::int <= 0 OR EXISTS (SELECT 1 FROM generate_series(1, 4) i WHERE parts[i]::int >= parts[i + 1]::int)
                 ELSE true END) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'setting_star_thresholds_valid',
                MESSAGE = format('vledger: star_thresholds_hours "%s": must be five increasing positive whole numbers of hours, like 100,300,600,1000,1500', shown);
        END IF;
    ELSE
        NULL;
    END CASE;
    RETURN NEW;
END
$$;

CREATE TRIGGER setting_valid BEFORE INSERT OR UPDATE OF name, value ON setting
    FOR EACH ROW EXECUTE FUNCTION vl_setting_valid();

SELECT count(*) AS pinned FROM vl_pin_search_path();
