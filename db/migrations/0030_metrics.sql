-- Annual metrics and service-hours statements (SPEC.md "The annual metrics", "Statement").

-- The metrics read, for one year window, every entry by service start and keep the approved
-- ones: these covering indexes let PostgreSQL answer from the indexes alone (index-only scans),
-- which is what keeps `vledger metrics` under a second on millions of entries without any
-- rollup table that could drift from the ledger.
CREATE INDEX hours_entry_metrics_window ON hours_entry (service_start)
    INCLUDE (id, volunteer_id, minutes, recorded_at);
CREATE INDEX hours_decision_approved ON hours_decision (entry_id)
    INCLUDE (decided_at) WHERE decision = 'approved';
-- The district of a volunteer on day D: the row with the latest effective_from on or before D.
CREATE INDEX volunteer_district_on_day ON volunteer_district (volunteer_id, effective_from DESC)
    INCLUDE (district_code, recorded_at);

-- Approved minutes per volunteer and local calendar year (and month) of service start: the default metrics
-- (a whole year, records as they stand now) read ~1 row per volunteer instead of millions of
-- entries. Exactly the ledger's figure, because entries and decisions are only ever inserted:
-- each approved decision adds its entry's minutes here in the same transaction. Anything else
-- (an UPDATE, DELETE or TRUNCATE of the ledger by an administrator, a new city time zone)
-- rebuilds it from the ledger. `--as-recorded-at` and a reference date that is not a month's end
-- read the ledger itself; a test compares both ways on random data.
CREATE TABLE metrics_volunteer_year (
    volunteer_id bigint NOT NULL,
    year         int NOT NULL,
    minutes      bigint NOT NULL,
    PRIMARY KEY (year, volunteer_id)
);
-- The same per local calendar month, for reference dates at a month's end (`--by month`).
CREATE TABLE metrics_volunteer_month (
    volunteer_id bigint NOT NULL,
    year         int NOT NULL,
    month        int NOT NULL,
    minutes      bigint NOT NULL,
    PRIMARY KEY (year, month, volunteer_id)
);

CREATE FUNCTION vl_metrics_rollup_rebuild() RETURNS void
    LANGUAGE sql
    AS $$
    DELETE FROM metrics_volunteer_month;
    INSERT INTO metrics_volunteer_month (volunteer_id, year, month, minutes)
    SELECT e.volunteer_id, extract(year FROM e.service_start AT TIME ZONE vl_time_zone())::int,
           extract(month FROM e.service_start AT TIME ZONE vl_time_zone())::int, sum(e.minutes)
      FROM hours_entry e
      JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
     GROUP BY 1, 2, 3;
    DELETE FROM metrics_volunteer_year;
    INSERT INTO metrics_volunteer_year (volunteer_id, year, minutes)
    SELECT volunteer_id, year, sum(minutes) FROM metrics_volunteer_month GROUP BY 1, 2;
$$;

-- Run as the schema owner: whoever may decide hours keeps the rollup right without rights on it.
CREATE FUNCTION vl_metrics_rollup_add() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
BEGIN
    -- Sorted, so concurrent writers lock shared rows in the same order.
    WITH added AS MATERIALIZED (
        SELECT e.volunteer_id, extract(year FROM e.service_start AT TIME ZONE vl_time_zone())::int AS year,
               extract(month FROM e.service_start AT TIME ZONE vl_time_zone())::int AS month, sum(e.minutes) AS minutes
          FROM new_decisions d
          JOIN hours_entry e ON e.id = d.entry_id
         WHERE d.decision = 'approved'
         GROUP BY 1, 2, 3),
    months AS (
        INSERT INTO metrics_volunteer_month AS m (volunteer_id, year, month, minutes)
        SELECT volunteer_id, year, month, minutes FROM added ORDER BY year, month, volunteer_id
        ON CONFLICT (year, month, volunteer_id) DO UPDATE SET minutes = m.minutes + EXCLUDED.minutes)
    INSERT INTO metrics_volunteer_year AS y (volunteer_id, year, minutes)
    SELECT volunteer_id, year, sum(minutes) FROM added GROUP BY 1, 2 ORDER BY 2, 1
    ON CONFLICT (year, volunteer_id) DO UPDATE SET minutes = y.minutes + EXCLUDED.minutes;
    RETURN NULL;
END
$$;

CREATE FUNCTION vl_metrics_rollup_rebuild_trigger() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
BEGIN
    PERFORM vl_metrics_rollup_rebuild();
    RETURN NULL;
END
$$;

CREATE TRIGGER metrics_rollup_add AFTER INSERT ON hours_decision
    REFERENCING NEW TABLE AS new_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION vl_metrics_rollup_add();
CREATE TRIGGER metrics_rollup_decision_changed AFTER UPDATE OR DELETE OR TRUNCATE ON hours_decision
    FOR EACH STATEMENT EXECUTE FUNCTION vl_metrics_rollup_rebuild_trigger();
CREATE TRIGGER metrics_rollup_entry_changed AFTER UPDATE OR DELETE OR TRUNCATE ON hours_entry
    FOR EACH STATEMENT EXECUTE FUNCTION vl_metrics_rollup_rebuild_trigger();
CREATE TRIGGER metrics_rollup_time_zone_set AFTER INSERT ON setting
    FOR EACH ROW WHEN (NEW.name = 'time_zone') EXECUTE FUNCTION vl_metrics_rollup_rebuild_trigger();
CREATE TRIGGER metrics_rollup_time_zone_changed AFTER UPDATE ON setting
    FOR EACH ROW WHEN (OLD.name = 'time_zone' OR NEW.name = 'time_zone') EXECUTE FUNCTION vl_metrics_rollup_rebuild_trigger();
CREATE TRIGGER metrics_rollup_time_zone_removed AFTER DELETE ON setting
    FOR EACH ROW WHEN (OLD.name = 'time_zone') EXECUTE FUNCTION vl_metrics_rollup_rebuild_trigger();
CREATE TRIGGER metrics_rollup_settings_truncated AFTER TRUNCATE ON setting
    FOR EACH STATEMENT EXECUTE FUNCTION vl_metrics_rollup_rebuild_trigger();

SELECT vl_metrics_rollup_rebuild();

-- Statement numbers run per year without gaps (2026-000001, 2026-000002, …): one counter row
-- per year, taken with a row lock so two issuers never get the same number.
CREATE TABLE statement_counter (
    year        int PRIMARY KEY CONSTRAINT statement_counter_year_range CHECK (year BETWEEN 1949 AND 9999),
    last_number int NOT NULL CONSTRAINT statement_counter_positive CHECK (last_number > 0)
);

-- Every statement (志愿服务证明) issued, with what it said, so it can be re-printed and checked
-- against the ledger later. Rows are never changed or removed.
CREATE TABLE statement_issue (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number             text NOT NULL CONSTRAINT statement_issue_number_unique UNIQUE
                       CONSTRAINT statement_issue_number_format CHECK (number ~ '^[0-9]{4}-[0-9]{6}$'),
    year               int NOT NULL,
    sequence           int NOT NULL,
    volunteer_id       bigint NOT NULL REFERENCES volunteer (id),
    period_from        date NOT NULL,
    period_to          date NOT NULL,
    total_minutes      bigint NOT NULL,
    cumulative_minutes bigint NOT NULL,
    star_level         int NOT NULL CONSTRAINT statement_issue_star_range CHECK (star_level BETWEEN 0 AND 10),
    -- The statement exactly as printed, in JSON and as text (ID number masked), for re-printing.
    content            text NOT NULL,
    content_text       text NOT NULL,
    issued_by          text NOT NULL CONSTRAINT statement_issue_issuer_present CHECK (btrim(issued_by) <> ''),
    recorded_by        text NOT NULL DEFAULT current_user,
    issued_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT statement_issue_sequence_unique UNIQUE (year, sequence),
    CONSTRAINT statement_issue_number_matches CHECK (number = lpad(year::text, 4, '0') || '-' || lpad(sequence::text, 6, '0')),
    CONSTRAINT statement_issue_period_order CHECK (period_from <= period_to)
);
CREATE INDEX statement_issue_by_volunteer ON statement_issue (volunteer_id, issued_at);

CREATE FUNCTION vl_statement_issue_immutable() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'statement_issue_immutable',
        MESSAGE = 'vledger: statement "' || OLD.number || '": an issued statement is never changed or removed';
END
$$;

CREATE TRIGGER statement_issue_immutable BEFORE UPDATE OR DELETE ON statement_issue
    FOR EACH ROW EXECUTE FUNCTION vl_statement_issue_immutable();
