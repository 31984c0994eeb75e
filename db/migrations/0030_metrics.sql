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
    -- The statement exactly as printed in JSON (ID number masked), for re-printing.
    content            text NOT NULL,
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
