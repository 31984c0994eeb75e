-- Every text a person types has a length limit the database enforces (issue 12 §5), so that a
-- pasted 2 MB cell never becomes a name, a reason or a request id. Names were already bounded
-- (volunteer 100, district 100, activity title 200, 0001); this bounds the rest:
--   volunteer.guardian_name 100, activity.organiser 100, activity.category 50,
--   volunteer_deregistration.reason 500, hours_entry.reason 500, hours_entry.request_id 200,
--   hours_decision.reason 500, hours_checkout.note 500, population_revision.source 200,
--   statement_issue.issued_by 100, volunteer_correction old/new value 100, setting.value 200.
-- Swift names the limit in the message (UserMessage's constraint table, keyed by these names).
--
-- Several of these tables are append-only, so a longer text recorded before this migration
-- stays. Each constraint therefore checks every row written from now on (NOT VALID) and is
-- validated, covering the whole table, when no older row breaks it (as 0060 does).
ALTER TABLE volunteer ADD CONSTRAINT volunteer_guardian_name_length CHECK (length(guardian_name) <= 100) NOT VALID;
ALTER TABLE activity ADD CONSTRAINT activity_organiser_length CHECK (length(organiser) <= 100) NOT VALID;
ALTER TABLE activity ADD CONSTRAINT activity_category_length CHECK (length(category) <= 50) NOT VALID;
ALTER TABLE volunteer_deregistration ADD CONSTRAINT deregistration_reason_length CHECK (length(reason) <= 500) NOT VALID;
ALTER TABLE hours_entry ADD CONSTRAINT hours_entry_reason_length CHECK (length(reason) <= 500) NOT VALID;
ALTER TABLE hours_entry ADD CONSTRAINT hours_entry_request_id_length CHECK (length(request_id) <= 200) NOT VALID;
ALTER TABLE hours_decision ADD CONSTRAINT hours_decision_reason_length CHECK (length(reason) <= 500) NOT VALID;
ALTER TABLE hours_checkout ADD CONSTRAINT hours_checkout_note_length CHECK (length(note) <= 500) NOT VALID;
ALTER TABLE population_revision ADD CONSTRAINT population_source_length CHECK (length(source) <= 200) NOT VALID;
ALTER TABLE statement_issue ADD CONSTRAINT statement_issue_issuer_length CHECK (length(issued_by) <= 100) NOT VALID;
ALTER TABLE volunteer_correction
    ADD CONSTRAINT volunteer_correction_value_length CHECK (length(old_value) <= 100 AND length(new_value) <= 100) NOT VALID;
ALTER TABLE setting ADD CONSTRAINT setting_value_length CHECK (length(value) <= 200) NOT VALID;

DO $$
DECLARE
    c record;
BEGIN
    FOR c IN
        SELECT conrelid::regclass AS tab, conname
          FROM pg_catalog.pg_constraint
         WHERE conname IN ('volunteer_guardian_name_length', 'activity_organiser_length', 'activity_category_length',
                           'deregistration_reason_length', 'hours_entry_reason_length', 'hours_entry_request_id_length',
                           'hours_decision_reason_length', 'hours_checkout_note_length', 'population_source_length',
                           'statement_issue_issuer_length', 'volunteer_correction_value_length', 'setting_value_length')
           AND NOT convalidated
    LOOP
        BEGIN
            EXECUTE pg_catalog.format('ALTER TABLE %s VALIDATE CONSTRAINT %I', c.tab, c.conname);
        EXCEPTION WHEN check_violation THEN
            RAISE NOTICE '% keeps older rows longer than % allows: the constraint checks new rows only', c.tab, c.conname;
        END;
    END LOOP;
END
$$;
