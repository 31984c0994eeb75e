-- Trigger functions run without JIT. Their statements are either per row (a few index probes,
-- never worth compiling) or set-based over a whole import (the rollup, the audit), where the
-- planner's estimate for a million-row transition table crossed the inlining and optimisation
-- thresholds and LLVM compiled for longer than the statement ran: perf on a 30,000,000-entry
-- sample load found most of each million-row approval's closing work inside libLLVM.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure
               FROM pg_proc p
              WHERE p.pronamespace = current_schema()::regnamespace AND p.prorettype = 'trigger'::regtype
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET jit = off', f);
    END LOOP;
END
$$;
-- Called by the audit trigger once per statement over all the rows it wrote.
ALTER FUNCTION vl_audit_link_digest(bigint) SET jit = off;
