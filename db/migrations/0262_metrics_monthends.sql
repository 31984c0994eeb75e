-- Issue 14: the office's dashboard of a 100,000-volunteer / 3,000,000-entry city in ≤ 300 ms.
-- MetricsMonthly computed every month-end of a year in one statement over the monthly rollups,
-- but that statement still expanded 588,000 volunteer-months into 2.4 million ranges per request
-- (2.8 s). The month-end figures of a volunteer only change when their own rows change, so they
-- are kept here, per volunteer, by owner-rights triggers, and a request only sums them:
--
-- * volunteer_stretch: the stretches of days a volunteer is in R in one district code (or none:
--   registered before their first district row), from the registry (registered_on, the
--   volunteer_district history, the deregistration). R on D per code is a count of stretches.
-- * metrics_volunteer_monthend: per volunteer, year with rollup rows, and stretch, the approved
--   minutes (and by provenance) up to each month-end of the year, 0 at the month-ends the stretch
--   does not cover (int: a year holds 527,040 minutes). Per code and month-end, the district's minutes are a sum and its active
--   volunteers a count of values > 0.
--
-- A volunteer's own rows, so concurrent writers for different volunteers never wait for each
-- other. Derived like the rollups: no role writes them, a full rebuild gives the same rows
-- (vl_metrics_monthend_rebuild), and MetricsMonthlyTests compares the figures with the
-- per-month compute over the ledger.
CREATE TABLE volunteer_stretch (
    volunteer_id bigint NOT NULL,
    since        date NOT NULL,
    until        date NOT NULL,
    code         text,
    PRIMARY KEY (volunteer_id, since),
    CHECK (since < until)
);
CREATE INDEX volunteer_stretch_days ON volunteer_stretch (since, until) INCLUDE (code);

CREATE TABLE metrics_volunteer_monthend (
    volunteer_id bigint NOT NULL,
    year         int NOT NULL,
    since        date NOT NULL,
    code         text,
    minutes_01 int NOT NULL,
    minutes_02 int NOT NULL,
    minutes_03 int NOT NULL,
    minutes_04 int NOT NULL,
    minutes_05 int NOT NULL,
    minutes_06 int NOT NULL,
    minutes_07 int NOT NULL,
    minutes_08 int NOT NULL,
    minutes_09 int NOT NULL,
    minutes_10 int NOT NULL,
    minutes_11 int NOT NULL,
    minutes_12 int NOT NULL,
    clock_01 int NOT NULL,
    clock_02 int NOT NULL,
    clock_03 int NOT NULL,
    clock_04 int NOT NULL,
    clock_05 int NOT NULL,
    clock_06 int NOT NULL,
    clock_07 int NOT NULL,
    clock_08 int NOT NULL,
    clock_09 int NOT NULL,
    clock_10 int NOT NULL,
    clock_11 int NOT NULL,
    clock_12 int NOT NULL,
    entered_01 int NOT NULL,
    entered_02 int NOT NULL,
    entered_03 int NOT NULL,
    entered_04 int NOT NULL,
    entered_05 int NOT NULL,
    entered_06 int NOT NULL,
    entered_07 int NOT NULL,
    entered_08 int NOT NULL,
    entered_09 int NOT NULL,
    entered_10 int NOT NULL,
    entered_11 int NOT NULL,
    entered_12 int NOT NULL,
    late_01 int NOT NULL,
    late_02 int NOT NULL,
    late_03 int NOT NULL,
    late_04 int NOT NULL,
    late_05 int NOT NULL,
    late_06 int NOT NULL,
    late_07 int NOT NULL,
    late_08 int NOT NULL,
    late_09 int NOT NULL,
    late_10 int NOT NULL,
    late_11 int NOT NULL,
    late_12 int NOT NULL,
    PRIMARY KEY (volunteer_id, year, since)
);
CREATE INDEX metrics_volunteer_monthend_year ON metrics_volunteer_monthend (year);

-- The stretches of the volunteers `ids`, as MetricsMonthly's `placed`/`stretch` computed them:
-- in R on D when registered_on ≤ D < deregistration, in the district of the latest
-- volunteer_district row with effective_from ≤ D.
CREATE FUNCTION vl_volunteer_stretch_refresh(ids bigint[]) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    DELETE FROM volunteer_stretch s USING unnest(ids) i(id) WHERE s.volunteer_id = i.id;
    INSERT INTO volunteer_stretch (volunteer_id, since, until, code)
    WITH placed AS (
        SELECT d.volunteer_id, d.district_code, d.effective_from AS since,
               lead(d.effective_from) OVER w AS until, row_number() OVER w = 1 AS first
          FROM volunteer_district d
          JOIN unnest(ids) i(id) ON i.id = d.volunteer_id
        WINDOW w AS (PARTITION BY d.volunteer_id ORDER BY d.effective_from)
    ),
    stretch AS (
        SELECT v.id AS volunteer_id, s.code,
               greatest(v.registered_on, s.since) AS since,
               least(coalesce(x.effective_on, 'infinity'::date), s.until) AS until
          FROM volunteer v
          JOIN unnest(ids) i(id) ON i.id = v.id
          LEFT JOIN volunteer_deregistration x ON x.volunteer_id = v.id
          LEFT JOIN placed p ON p.volunteer_id = v.id
         CROSS JOIN LATERAL (
               SELECT p.district_code, coalesce(p.since, '-infinity'::date), coalesce(p.until, 'infinity'::date)
               UNION ALL
               SELECT NULL, '-infinity'::date, p.since WHERE p.first
          ) s(code, since, until)
    )
    SELECT volunteer_id, since, until, code FROM stretch WHERE since < until;
$$;

-- The month-end rows of the volunteers `ids`, from their stretches and monthly rollups.
CREATE FUNCTION vl_metrics_monthend_refresh(ids bigint[]) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    DELETE FROM metrics_volunteer_monthend m USING unnest(ids) i(id) WHERE m.volunteer_id = i.id;
    INSERT INTO metrics_volunteer_monthend (volunteer_id, year, since, code, minutes_01, minutes_02, minutes_03, minutes_04, minutes_05, minutes_06, minutes_07, minutes_08, minutes_09, minutes_10, minutes_11, minutes_12, clock_01, clock_02, clock_03, clock_04, clock_05, clock_06, clock_07, clock_08, clock_09, clock_10, clock_11, clock_12, entered_01, entered_02, entered_03, entered_04, entered_05, entered_06, entered_07, entered_08, entered_09, entered_10, entered_11, entered_12, late_01, late_02, late_03, late_04, late_05, late_06, late_07, late_08, late_09, late_10, late_11, late_12)
    WITH monthly AS (
        SELECT m.volunteer_id, m.year, m.month, m.minutes, 0::bigint AS clock, 0::bigint AS entered, 0::bigint AS late
          FROM metrics_volunteer_month m JOIN unnest(ids) i(id) ON i.id = m.volunteer_id
        UNION ALL
        SELECT p.volunteer_id, p.year, p.month, 0, p.clock, p.entered, p.late
          FROM metrics_provenance_month p JOIN unnest(ids) i(id) ON i.id = p.volunteer_id
    ),
    running AS (
        SELECT volunteer_id, year,
                   coalesce(sum(minutes) FILTER (WHERE month <= 1), 0)::int AS minutes_01,
                   coalesce(sum(minutes) FILTER (WHERE month <= 2), 0)::int AS minutes_02,
                   coalesce(sum(minutes) FILTER (WHERE month <= 3), 0)::int AS minutes_03,
                   coalesce(sum(minutes) FILTER (WHERE month <= 4), 0)::int AS minutes_04,
                   coalesce(sum(minutes) FILTER (WHERE month <= 5), 0)::int AS minutes_05,
                   coalesce(sum(minutes) FILTER (WHERE month <= 6), 0)::int AS minutes_06,
                   coalesce(sum(minutes) FILTER (WHERE month <= 7), 0)::int AS minutes_07,
                   coalesce(sum(minutes) FILTER (WHERE month <= 8), 0)::int AS minutes_08,
                   coalesce(sum(minutes) FILTER (WHERE month <= 9), 0)::int AS minutes_09,
                   coalesce(sum(minutes) FILTER (WHERE month <= 10), 0)::int AS minutes_10,
                   coalesce(sum(minutes) FILTER (WHERE month <= 11), 0)::int AS minutes_11,
                   coalesce(sum(minutes) FILTER (WHERE month <= 12), 0)::int AS minutes_12,
                   coalesce(sum(clock) FILTER (WHERE month <= 1), 0)::int AS clock_01,
                   coalesce(sum(clock) FILTER (WHERE month <= 2), 0)::int AS clock_02,
                   coalesce(sum(clock) FILTER (WHERE month <= 3), 0)::int AS clock_03,
                   coalesce(sum(clock) FILTER (WHERE month <= 4), 0)::int AS clock_04,
                   coalesce(sum(clock) FILTER (WHERE month <= 5), 0)::int AS clock_05,
                   coalesce(sum(clock) FILTER (WHERE month <= 6), 0)::int AS clock_06,
                   coalesce(sum(clock) FILTER (WHERE month <= 7), 0)::int AS clock_07,
                   coalesce(sum(clock) FILTER (WHERE month <= 8), 0)::int AS clock_08,
                   coalesce(sum(clock) FILTER (WHERE month <= 9), 0)::int AS clock_09,
                   coalesce(sum(clock) FILTER (WHERE month <= 10), 0)::int AS clock_10,
                   coalesce(sum(clock) FILTER (WHERE month <= 11), 0)::int AS clock_11,
                   coalesce(sum(clock) FILTER (WHERE month <= 12), 0)::int AS clock_12,
                   coalesce(sum(entered) FILTER (WHERE month <= 1), 0)::int AS entered_01,
                   coalesce(sum(entered) FILTER (WHERE month <= 2), 0)::int AS entered_02,
                   coalesce(sum(entered) FILTER (WHERE month <= 3), 0)::int AS entered_03,
                   coalesce(sum(entered) FILTER (WHERE month <= 4), 0)::int AS entered_04,
                   coalesce(sum(entered) FILTER (WHERE month <= 5), 0)::int AS entered_05,
                   coalesce(sum(entered) FILTER (WHERE month <= 6), 0)::int AS entered_06,
                   coalesce(sum(entered) FILTER (WHERE month <= 7), 0)::int AS entered_07,
                   coalesce(sum(entered) FILTER (WHERE month <= 8), 0)::int AS entered_08,
                   coalesce(sum(entered) FILTER (WHERE month <= 9), 0)::int AS entered_09,
                   coalesce(sum(entered) FILTER (WHERE month <= 10), 0)::int AS entered_10,
                   coalesce(sum(entered) FILTER (WHERE month <= 11), 0)::int AS entered_11,
                   coalesce(sum(entered) FILTER (WHERE month <= 12), 0)::int AS entered_12,
                   coalesce(sum(late) FILTER (WHERE month <= 1), 0)::int AS late_01,
                   coalesce(sum(late) FILTER (WHERE month <= 2), 0)::int AS late_02,
                   coalesce(sum(late) FILTER (WHERE month <= 3), 0)::int AS late_03,
                   coalesce(sum(late) FILTER (WHERE month <= 4), 0)::int AS late_04,
                   coalesce(sum(late) FILTER (WHERE month <= 5), 0)::int AS late_05,
                   coalesce(sum(late) FILTER (WHERE month <= 6), 0)::int AS late_06,
                   coalesce(sum(late) FILTER (WHERE month <= 7), 0)::int AS late_07,
                   coalesce(sum(late) FILTER (WHERE month <= 8), 0)::int AS late_08,
                   coalesce(sum(late) FILTER (WHERE month <= 9), 0)::int AS late_09,
                   coalesce(sum(late) FILTER (WHERE month <= 10), 0)::int AS late_10,
                   coalesce(sum(late) FILTER (WHERE month <= 11), 0)::int AS late_11,
                   coalesce(sum(late) FILTER (WHERE month <= 12), 0)::int AS late_12
          FROM monthly
         GROUP BY volunteer_id, year
    )
    SELECT r.volunteer_id, r.year, s.since, s.code,
           CASE WHEN s.since <= d.e01 AND s.until > d.e01 THEN r.minutes_01 ELSE 0 END,
           CASE WHEN s.since <= d.e02 AND s.until > d.e02 THEN r.minutes_02 ELSE 0 END,
           CASE WHEN s.since <= d.e03 AND s.until > d.e03 THEN r.minutes_03 ELSE 0 END,
           CASE WHEN s.since <= d.e04 AND s.until > d.e04 THEN r.minutes_04 ELSE 0 END,
           CASE WHEN s.since <= d.e05 AND s.until > d.e05 THEN r.minutes_05 ELSE 0 END,
           CASE WHEN s.since <= d.e06 AND s.until > d.e06 THEN r.minutes_06 ELSE 0 END,
           CASE WHEN s.since <= d.e07 AND s.until > d.e07 THEN r.minutes_07 ELSE 0 END,
           CASE WHEN s.since <= d.e08 AND s.until > d.e08 THEN r.minutes_08 ELSE 0 END,
           CASE WHEN s.since <= d.e09 AND s.until > d.e09 THEN r.minutes_09 ELSE 0 END,
           CASE WHEN s.since <= d.e10 AND s.until > d.e10 THEN r.minutes_10 ELSE 0 END,
           CASE WHEN s.since <= d.e11 AND s.until > d.e11 THEN r.minutes_11 ELSE 0 END,
           CASE WHEN s.since <= d.e12 AND s.until > d.e12 THEN r.minutes_12 ELSE 0 END,
           CASE WHEN s.since <= d.e01 AND s.until > d.e01 THEN r.clock_01 ELSE 0 END,
           CASE WHEN s.since <= d.e02 AND s.until > d.e02 THEN r.clock_02 ELSE 0 END,
           CASE WHEN s.since <= d.e03 AND s.until > d.e03 THEN r.clock_03 ELSE 0 END,
           CASE WHEN s.since <= d.e04 AND s.until > d.e04 THEN r.clock_04 ELSE 0 END,
           CASE WHEN s.since <= d.e05 AND s.until > d.e05 THEN r.clock_05 ELSE 0 END,
           CASE WHEN s.since <= d.e06 AND s.until > d.e06 THEN r.clock_06 ELSE 0 END,
           CASE WHEN s.since <= d.e07 AND s.until > d.e07 THEN r.clock_07 ELSE 0 END,
           CASE WHEN s.since <= d.e08 AND s.until > d.e08 THEN r.clock_08 ELSE 0 END,
           CASE WHEN s.since <= d.e09 AND s.until > d.e09 THEN r.clock_09 ELSE 0 END,
           CASE WHEN s.since <= d.e10 AND s.until > d.e10 THEN r.clock_10 ELSE 0 END,
           CASE WHEN s.since <= d.e11 AND s.until > d.e11 THEN r.clock_11 ELSE 0 END,
           CASE WHEN s.since <= d.e12 AND s.until > d.e12 THEN r.clock_12 ELSE 0 END,
           CASE WHEN s.since <= d.e01 AND s.until > d.e01 THEN r.entered_01 ELSE 0 END,
           CASE WHEN s.since <= d.e02 AND s.until > d.e02 THEN r.entered_02 ELSE 0 END,
           CASE WHEN s.since <= d.e03 AND s.until > d.e03 THEN r.entered_03 ELSE 0 END,
           CASE WHEN s.since <= d.e04 AND s.until > d.e04 THEN r.entered_04 ELSE 0 END,
           CASE WHEN s.since <= d.e05 AND s.until > d.e05 THEN r.entered_05 ELSE 0 END,
           CASE WHEN s.since <= d.e06 AND s.until > d.e06 THEN r.entered_06 ELSE 0 END,
           CASE WHEN s.since <= d.e07 AND s.until > d.e07 THEN r.entered_07 ELSE 0 END,
           CASE WHEN s.since <= d.e08 AND s.until > d.e08 THEN r.entered_08 ELSE 0 END,
           CASE WHEN s.since <= d.e09 AND s.until > d.e09 THEN r.entered_09 ELSE 0 END,
           CASE WHEN s.since <= d.e10 AND s.until > d.e10 THEN r.entered_10 ELSE 0 END,
           CASE WHEN s.since <= d.e11 AND s.until > d.e11 THEN r.entered_11 ELSE 0 END,
           CASE WHEN s.since <= d.e12 AND s.until > d.e12 THEN r.entered_12 ELSE 0 END,
           CASE WHEN s.since <= d.e01 AND s.until > d.e01 THEN r.late_01 ELSE 0 END,
           CASE WHEN s.since <= d.e02 AND s.until > d.e02 THEN r.late_02 ELSE 0 END,
           CASE WHEN s.since <= d.e03 AND s.until > d.e03 THEN r.late_03 ELSE 0 END,
           CASE WHEN s.since <= d.e04 AND s.until > d.e04 THEN r.late_04 ELSE 0 END,
           CASE WHEN s.since <= d.e05 AND s.until > d.e05 THEN r.late_05 ELSE 0 END,
           CASE WHEN s.since <= d.e06 AND s.until > d.e06 THEN r.late_06 ELSE 0 END,
           CASE WHEN s.since <= d.e07 AND s.until > d.e07 THEN r.late_07 ELSE 0 END,
           CASE WHEN s.since <= d.e08 AND s.until > d.e08 THEN r.late_08 ELSE 0 END,
           CASE WHEN s.since <= d.e09 AND s.until > d.e09 THEN r.late_09 ELSE 0 END,
           CASE WHEN s.since <= d.e10 AND s.until > d.e10 THEN r.late_10 ELSE 0 END,
           CASE WHEN s.since <= d.e11 AND s.until > d.e11 THEN r.late_11 ELSE 0 END,
           CASE WHEN s.since <= d.e12 AND s.until > d.e12 THEN r.late_12 ELSE 0 END
      FROM running r
      JOIN volunteer_stretch s ON s.volunteer_id = r.volunteer_id
     CROSS JOIN LATERAL (SELECT (make_date(r.year, 1, 1) + interval '1 month' - interval '1 day')::date AS e01, (make_date(r.year, 2, 1) + interval '1 month' - interval '1 day')::date AS e02, (make_date(r.year, 3, 1) + interval '1 month' - interval '1 day')::date AS e03, (make_date(r.year, 4, 1) + interval '1 month' - interval '1 day')::date AS e04, (make_date(r.year, 5, 1) + interval '1 month' - interval '1 day')::date AS e05, (make_date(r.year, 6, 1) + interval '1 month' - interval '1 day')::date AS e06, (make_date(r.year, 7, 1) + interval '1 month' - interval '1 day')::date AS e07, (make_date(r.year, 8, 1) + interval '1 month' - interval '1 day')::date AS e08, (make_date(r.year, 9, 1) + interval '1 month' - interval '1 day')::date AS e09, (make_date(r.year, 10, 1) + interval '1 month' - interval '1 day')::date AS e10, (make_date(r.year, 11, 1) + interval '1 month' - interval '1 day')::date AS e11, (make_date(r.year, 12, 1) + interval '1 month' - interval '1 day')::date AS e12) d
     WHERE s.since <= d.e12 AND s.until > d.e01;
$$;

CREATE FUNCTION vl_metrics_monthend_rebuild() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
DECLARE
    everyone bigint[] := ARRAY(SELECT id FROM volunteer);
BEGIN
    DELETE FROM volunteer_stretch;
    DELETE FROM metrics_volunteer_monthend;
    PERFORM vl_volunteer_stretch_refresh(everyone);
    PERFORM vl_metrics_monthend_refresh(everyone);
END
$$;

-- The registry changed for the volunteers of the transition table `vl_changed` (TG_ARGV[0]: the
-- column naming them): their stretches, then their month-end rows.
CREATE FUNCTION vl_volunteer_stretch_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
DECLARE
    ids bigint[];
BEGIN
    EXECUTE format('SELECT array_agg(DISTINCT %I ORDER BY %I) FROM vl_changed', TG_ARGV[0], TG_ARGV[0]) INTO ids;
    IF ids IS NOT NULL THEN
        PERFORM vl_volunteer_stretch_refresh(ids);
        PERFORM vl_metrics_monthend_refresh(ids);
    END IF;
    RETURN NULL;
END
$$;

-- A rollup changed for the volunteers of `vl_changed`: their month-end rows.
CREATE FUNCTION vl_metrics_monthend_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
DECLARE
    ids bigint[] := ARRAY(SELECT DISTINCT volunteer_id FROM vl_changed ORDER BY 1);
BEGIN
    IF cardinality(ids) > 0 THEN
        PERFORM vl_metrics_monthend_refresh(ids);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION vl_metrics_monthend_rebuild_trigger() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
BEGIN
    PERFORM vl_metrics_monthend_rebuild();
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION vl_volunteer_stretch_refresh(bigint[]), vl_metrics_monthend_refresh(bigint[]),
    vl_metrics_monthend_rebuild() FROM PUBLIC;

-- A trigger with a transition table takes one event: one per event and table.
DO $$
DECLARE
    t record;
    ev text;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('volunteer', 'id', 'vl_volunteer_stretch_changed'),
                                   ('volunteer_district', 'volunteer_id', 'vl_volunteer_stretch_changed'),
                                   ('volunteer_deregistration', 'volunteer_id', 'vl_volunteer_stretch_changed'),
                                   ('metrics_volunteer_month', 'volunteer_id', 'vl_metrics_monthend_changed'),
                                   ('metrics_provenance_month', 'volunteer_id', 'vl_metrics_monthend_changed')) v(tab, col, fn)
    LOOP
        FOREACH ev IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
            EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS vl_changed FOR EACH STATEMENT EXECUTE FUNCTION %I(%L)',
                           'zz_monthend_' || ev, ev, t.tab, CASE ev WHEN 'delete' THEN 'OLD' ELSE 'NEW' END, t.fn, t.col);
        END LOOP;
        EXECUTE format('CREATE TRIGGER zz_monthend_truncate AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION vl_metrics_monthend_rebuild_trigger()', t.tab);
    END LOOP;
END
$$;

-- Derived tables, read like the rollups they come from (0061/0072/0161): no role writes them.
SELECT vl_security_attach(t), vl_stamp_attach(t) FROM unnest(ARRAY['volunteer_stretch', 'metrics_volunteer_monthend']::regclass[]) t;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON volunteer_stretch, metrics_volunteer_monthend FROM vledger_admin;
GRANT SELECT ON volunteer_stretch, metrics_volunteer_monthend TO vledger_office, vledger_organiser;

SELECT vl_metrics_monthend_rebuild();
