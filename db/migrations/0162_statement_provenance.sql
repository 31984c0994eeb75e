-- A statement's approved minutes of its period by provenance (issue 16 §1), as the ledger held
-- them when it was issued: statement_issue.provenance {"clock", "entered", "late"}, filled by the
-- database like the training section of 0153 (vl_statement_issue is not replaced). The three
-- sum to total_minutes. `statement verify` compares a statement with its audit image, which
-- holds this column for statements issued from now on; earlier statements have none (NULL).
ALTER TABLE statement_issue ADD COLUMN provenance jsonb;

CREATE FUNCTION vl_statement_provenance(p_volunteer bigint, p_from date, p_to date, p_zone text, p_moment timestamptz) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET jit = off
    AS $$
    SELECT jsonb_build_object(
               'clock', coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'clock'), 0),
               'entered', coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'entered'), 0),
               'late', coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'late'), 0))
      FROM hours_entry e
      JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved' AND d.decided_at <= p_moment
     WHERE e.volunteer_id = p_volunteer
       AND e.service_start >= p_from::timestamp AT TIME ZONE p_zone AND e.service_start < (p_to + 1)::timestamp AT TIME ZONE p_zone
       AND e.recorded_at <= p_moment
$$;
REVOKE ALL ON FUNCTION vl_statement_provenance(bigint, date, date, text, timestamptz) FROM PUBLIC;

CREATE FUNCTION vl_statement_issue_provenance() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    IF NEW.activities IS NOT NULL THEN
        NEW.provenance := vl_statement_provenance(NEW.volunteer_id, NEW.period_from, NEW.period_to,
                                                  coalesce(NEW.time_zone, vl_time_zone()), NEW.issued_at);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER statement_issue_provenance BEFORE INSERT ON statement_issue
    FOR EACH ROW EXECUTE FUNCTION vl_statement_issue_provenance();
ALTER TABLE statement_issue ENABLE ALWAYS TRIGGER statement_issue_provenance;
