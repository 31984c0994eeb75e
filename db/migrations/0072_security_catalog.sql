-- Issue 11, section 7. 0042 asked by comment that every new table call the security and audit
-- attach functions and get grants and policies. The checklist is now a test:
-- Tests/VLedgerCoreTests/SecurityCatalogTests.swift lists every table of the schema with its
-- decision (row-level security and policies, audited or not and why, actor and record-time
-- stamping, grants per role), and a table it does not list, or one whose catalog differs from
-- its entry, fails the suite. A new table needs, in its migration:
--     SELECT vl_security_attach('t');   -- read grants, personal columns masked (0042)
--     SELECT vl_audit_attach('t');      -- the audit trail (0041), or a reason in the test why not
--     SELECT vl_stamp_attach('t');      -- actor check, who/when columns set by the database (0070)
-- plus its write grants and policies, and an entry in the test.
--
-- Decisions the listing made visible: the metrics rollups are written only by their owner-rights
-- triggers (0030, 0044), yet 0042's loop gave the admin INSERT, UPDATE and DELETE on them, so an
-- admin could raise the default report's minutes without a ledger row.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON metrics_volunteer_year, metrics_volunteer_month FROM vledger_admin;

-- The migration ledger exists before 0001 (the runner makes it); only the owner writes it.
DO $$
BEGIN
    IF to_regclass('schema_migration') IS NOT NULL THEN
        PERFORM vl_stamp_attach('schema_migration');
    END IF;
END
$$;
