-- The working-day calendar the office keeps (issue 16 §1). 民政部《志愿服务记录与证明出具办法(试行)》
-- 第十一条 asks for service to be recorded within 10 working days of the activity; working days
-- follow the State Council's yearly arrangement (国务院办公厅关于…部分节假日安排的通知): public
-- holidays off, and some weekend days worked instead (调休).
--
--   calendar_day   one row per day that differs from the plain week: 'holiday' (a day off; rows on
--                  weekend days inside a holiday period are kept as the notice lists them) or
--                  'workday' (a weekend day worked). Every other Monday–Friday is a working day,
--                  every other Saturday and Sunday is not. Insert and delete only (an import that
--                  changes a day deletes it and inserts it again), audited; the office and the
--                  admin write, everybody reads.
--
-- Seeded below with the arrangements of 2018 to 2026. Counting is arithmetic on the plain week
-- plus two range scans of calendar_day, so it costs the same for 3 days or 3 years.
CREATE TABLE calendar_day (
    day         date PRIMARY KEY,
    kind        text NOT NULL CONSTRAINT calendar_day_kind_known CHECK (kind IN ('holiday', 'workday')),
    name        text NOT NULL CONSTRAINT calendar_day_name_present CHECK (btrim(name) <> '' AND length(name) <= 50),
    recorded_by text NOT NULL DEFAULT current_user,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION vl_calendar_day_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM vl_rule('calendar_day_fixed', format('day "%s": delete the day and record it again (the audit trail keeps both)', OLD.day));
    END IF;
    IF NEW.kind IS DISTINCT FROM 'holiday' AND NEW.kind IS DISTINCT FROM 'workday' THEN
        PERFORM vl_rule('calendar_day_kind_known', format('kind "%s": holiday (a day off) or workday (a weekend day worked)', NEW.kind));
    END IF;
    -- A Monday-to-Friday is a working day already: a workday row there would mean nothing.
    IF NEW.kind = 'workday' AND extract(isodow FROM NEW.day) < 6 THEN
        PERFORM vl_rule('calendar_workday_weekend', format('day "%s": a weekday is a working day already; only a Saturday or Sunday is made a workday', NEW.day));
    END IF;
    IF NEW.name IS NULL OR btrim(NEW.name) = '' OR length(NEW.name) > 50 THEN
        PERFORM vl_rule('calendar_day_name_present', format('name "%s": the holiday''s name, 1 to 50 characters', coalesce(left(NEW.name, 60), '')));
    END IF;
    IF NEW.day < DATE '2000-01-01' OR NEW.day > DATE '2100-12-31' THEN
        PERFORM vl_rule('calendar_day_range', format('day "%s": from 2000-01-01 to 2100-12-31', NEW.day));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER calendar_day_rules BEFORE INSERT OR UPDATE ON calendar_day
    FOR EACH ROW EXECUTE FUNCTION vl_calendar_day_rules();

SELECT vl_security_attach('calendar_day'), vl_audit_attach('calendar_day'), vl_stamp_attach('calendar_day');
GRANT SELECT ON calendar_day TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;
GRANT INSERT, DELETE ON calendar_day TO vledger_office, vledger_admin;

-- Whether a day is a working day.
CREATE FUNCTION vl_is_working_day(p_day date) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce((SELECT c.kind = 'workday' FROM calendar_day c WHERE c.day = p_day), extract(isodow FROM p_day) < 6)
$$;

-- Working days d with p_from < d <= p_to (0 when p_to <= p_from): ten working days after an
-- activity ended on day E end on the day X with vl_working_days_between(E, X) = 10.
CREATE FUNCTION vl_working_days_between(p_from date, p_to date) RETURNS int
    LANGUAGE sql STABLE
    AS $$
    SELECT CASE WHEN p_to <= p_from THEN 0 ELSE
           5 * ((p_to - p_from) / 7)
           + (SELECT count(*)::int FROM generate_series(1, (p_to - p_from) % 7) i WHERE extract(isodow FROM p_from + i) < 6)
           - (SELECT count(*)::int FROM calendar_day c
               WHERE c.day > p_from AND c.day <= p_to AND c.kind = 'holiday' AND extract(isodow FROM c.day) < 6)
           + (SELECT count(*)::int FROM calendar_day c
               WHERE c.day > p_from AND c.day <= p_to AND c.kind = 'workday' AND extract(isodow FROM c.day) >= 6)
           END
$$;

-- The p_days-th working day after p_day (p_days >= 0; 0: p_day itself).
CREATE FUNCTION vl_add_working_days(p_day date, p_days int) RETURNS date
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    d date := p_day;
    n int := 0;
BEGIN
    IF p_days IS NULL OR p_days < 0 OR p_days > 3660 THEN
        PERFORM vl_rule('calendar_days_range', format('days "%s": from 0 to 3660 working days', p_days));
    END IF;
    WHILE n < p_days LOOP
        d := d + 1;
        IF vl_is_working_day(d) THEN
            n := n + 1;
        END IF;
    END LOOP;
    RETURN d;
END
$$;

-- The State Council's arrangements, 2018–2026: (first day, last day, kind, name). Holiday ranges
-- are the notice's "放假调休" periods (weekend days included); workdays are the "上班" weekend days.
INSERT INTO calendar_day (day, kind, name)
SELECT d::date, r.kind, r.name
  FROM (VALUES
    -- 2018
    ('2018-01-01', '2018-01-01', 'holiday', '元旦'),
    ('2018-02-15', '2018-02-21', 'holiday', '春节'), ('2018-02-11', '2018-02-11', 'workday', '春节'), ('2018-02-24', '2018-02-24', 'workday', '春节'),
    ('2018-04-05', '2018-04-07', 'holiday', '清明节'), ('2018-04-08', '2018-04-08', 'workday', '清明节'),
    ('2018-04-29', '2018-05-01', 'holiday', '劳动节'), ('2018-04-28', '2018-04-28', 'workday', '劳动节'),
    ('2018-06-16', '2018-06-18', 'holiday', '端午节'),
    ('2018-09-22', '2018-09-24', 'holiday', '中秋节'),
    ('2018-10-01', '2018-10-07', 'holiday', '国庆节'), ('2018-09-29', '2018-09-30', 'workday', '国庆节'),
    ('2018-12-30', '2019-01-01', 'holiday', '元旦'), ('2018-12-29', '2018-12-29', 'workday', '元旦'),
    -- 2019 (劳动节 as changed in March 2019)
    ('2019-02-04', '2019-02-10', 'holiday', '春节'), ('2019-02-02', '2019-02-03', 'workday', '春节'),
    ('2019-04-05', '2019-04-07', 'holiday', '清明节'),
    ('2019-05-01', '2019-05-04', 'holiday', '劳动节'), ('2019-04-28', '2019-04-28', 'workday', '劳动节'), ('2019-05-05', '2019-05-05', 'workday', '劳动节'),
    ('2019-06-07', '2019-06-09', 'holiday', '端午节'),
    ('2019-09-13', '2019-09-15', 'holiday', '中秋节'),
    ('2019-10-01', '2019-10-07', 'holiday', '国庆节'), ('2019-09-29', '2019-09-29', 'workday', '国庆节'), ('2019-10-12', '2019-10-12', 'workday', '国庆节'),
    -- 2020 (春节 extended to 2 February by the notice of 26 January 2020, which cancelled the
    -- working Saturday of 1 February)
    ('2020-01-01', '2020-01-01', 'holiday', '元旦'),
    ('2020-01-24', '2020-02-02', 'holiday', '春节'), ('2020-01-19', '2020-01-19', 'workday', '春节'),
    ('2020-04-04', '2020-04-06', 'holiday', '清明节'),
    ('2020-05-01', '2020-05-05', 'holiday', '劳动节'), ('2020-04-26', '2020-04-26', 'workday', '劳动节'), ('2020-05-09', '2020-05-09', 'workday', '劳动节'),
    ('2020-06-25', '2020-06-27', 'holiday', '端午节'), ('2020-06-28', '2020-06-28', 'workday', '端午节'),
    ('2020-10-01', '2020-10-08', 'holiday', '国庆节、中秋节'), ('2020-09-27', '2020-09-27', 'workday', '国庆节、中秋节'), ('2020-10-10', '2020-10-10', 'workday', '国庆节、中秋节'),
    -- 2021
    ('2021-01-01', '2021-01-03', 'holiday', '元旦'),
    ('2021-02-11', '2021-02-17', 'holiday', '春节'), ('2021-02-07', '2021-02-07', 'workday', '春节'), ('2021-02-20', '2021-02-20', 'workday', '春节'),
    ('2021-04-03', '2021-04-05', 'holiday', '清明节'),
    ('2021-05-01', '2021-05-05', 'holiday', '劳动节'), ('2021-04-25', '2021-04-25', 'workday', '劳动节'), ('2021-05-08', '2021-05-08', 'workday', '劳动节'),
    ('2021-06-12', '2021-06-14', 'holiday', '端午节'),
    ('2021-09-19', '2021-09-21', 'holiday', '中秋节'), ('2021-09-18', '2021-09-18', 'workday', '中秋节'),
    ('2021-10-01', '2021-10-07', 'holiday', '国庆节'), ('2021-09-26', '2021-09-26', 'workday', '国庆节'), ('2021-10-09', '2021-10-09', 'workday', '国庆节'),
    -- 2022
    ('2022-01-01', '2022-01-03', 'holiday', '元旦'),
    ('2022-01-31', '2022-02-06', 'holiday', '春节'), ('2022-01-29', '2022-01-30', 'workday', '春节'),
    ('2022-04-03', '2022-04-05', 'holiday', '清明节'), ('2022-04-02', '2022-04-02', 'workday', '清明节'),
    ('2022-04-30', '2022-05-04', 'holiday', '劳动节'), ('2022-04-24', '2022-04-24', 'workday', '劳动节'), ('2022-05-07', '2022-05-07', 'workday', '劳动节'),
    ('2022-06-03', '2022-06-05', 'holiday', '端午节'),
    ('2022-09-10', '2022-09-12', 'holiday', '中秋节'),
    ('2022-10-01', '2022-10-07', 'holiday', '国庆节'), ('2022-10-08', '2022-10-09', 'workday', '国庆节'),
    -- 2023
    ('2022-12-31', '2023-01-02', 'holiday', '元旦'),
    ('2023-01-21', '2023-01-27', 'holiday', '春节'), ('2023-01-28', '2023-01-29', 'workday', '春节'),
    ('2023-04-05', '2023-04-05', 'holiday', '清明节'),
    ('2023-04-29', '2023-05-03', 'holiday', '劳动节'), ('2023-04-23', '2023-04-23', 'workday', '劳动节'), ('2023-05-06', '2023-05-06', 'workday', '劳动节'),
    ('2023-06-22', '2023-06-24', 'holiday', '端午节'), ('2023-06-25', '2023-06-25', 'workday', '端午节'),
    ('2023-09-29', '2023-10-06', 'holiday', '中秋节、国庆节'), ('2023-10-07', '2023-10-08', 'workday', '中秋节、国庆节'),
    -- 2024
    ('2024-01-01', '2024-01-01', 'holiday', '元旦'),
    ('2024-02-10', '2024-02-17', 'holiday', '春节'), ('2024-02-04', '2024-02-04', 'workday', '春节'), ('2024-02-18', '2024-02-18', 'workday', '春节'),
    ('2024-04-04', '2024-04-06', 'holiday', '清明节'), ('2024-04-07', '2024-04-07', 'workday', '清明节'),
    ('2024-05-01', '2024-05-05', 'holiday', '劳动节'), ('2024-04-28', '2024-04-28', 'workday', '劳动节'), ('2024-05-11', '2024-05-11', 'workday', '劳动节'),
    ('2024-06-10', '2024-06-10', 'holiday', '端午节'),
    ('2024-09-15', '2024-09-17', 'holiday', '中秋节'), ('2024-09-14', '2024-09-14', 'workday', '中秋节'),
    ('2024-10-01', '2024-10-07', 'holiday', '国庆节'), ('2024-09-29', '2024-09-29', 'workday', '国庆节'), ('2024-10-12', '2024-10-12', 'workday', '国庆节'),
    -- 2025
    ('2025-01-01', '2025-01-01', 'holiday', '元旦'),
    ('2025-01-28', '2025-02-04', 'holiday', '春节'), ('2025-01-26', '2025-01-26', 'workday', '春节'), ('2025-02-08', '2025-02-08', 'workday', '春节'),
    ('2025-04-04', '2025-04-06', 'holiday', '清明节'),
    ('2025-05-01', '2025-05-05', 'holiday', '劳动节'), ('2025-04-27', '2025-04-27', 'workday', '劳动节'),
    ('2025-05-31', '2025-06-02', 'holiday', '端午节'),
    ('2025-10-01', '2025-10-08', 'holiday', '国庆节、中秋节'), ('2025-09-28', '2025-09-28', 'workday', '国庆节、中秋节'), ('2025-10-11', '2025-10-11', 'workday', '国庆节、中秋节'),
    -- 2026
    ('2026-01-01', '2026-01-03', 'holiday', '元旦'), ('2026-01-04', '2026-01-04', 'workday', '元旦'),
    ('2026-02-15', '2026-02-23', 'holiday', '春节'), ('2026-02-14', '2026-02-14', 'workday', '春节'), ('2026-02-28', '2026-02-28', 'workday', '春节'),
    ('2026-04-04', '2026-04-06', 'holiday', '清明节'),
    ('2026-05-01', '2026-05-05', 'holiday', '劳动节'), ('2026-05-09', '2026-05-09', 'workday', '劳动节'),
    ('2026-06-19', '2026-06-21', 'holiday', '端午节'),
    ('2026-09-25', '2026-09-27', 'holiday', '中秋节'),
    ('2026-10-01', '2026-10-07', 'holiday', '国庆节'), ('2026-09-20', '2026-09-20', 'workday', '国庆节'), ('2026-10-10', '2026-10-10', 'workday', '国庆节')
  ) AS r (first_day, last_day, kind, name),
  generate_series(r.first_day::date, r.last_day::date, interval '1 day') d
 ORDER BY 1;
