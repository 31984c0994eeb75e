-- Issue 11, sections 2 and 5.

-- ## The built-up flag has a history
--
-- Which districts make up the city row is part of a filed report, so the flag is dated like every
-- other fact a replay reads. district.built_up stays the flag in force today (listings, the
-- office's UPDATE); district_built_up keeps every change: the new flag, the flag it replaced,
-- the day it takes effect (the city's today when the office changes it) and when it was recorded.
-- The metrics read, for reference date D and (replays) moment T: among the changes recorded by
-- T, the one with the latest effective_from on or before D; with none, the flag the district was
-- first recorded with (the `was` of its first change ever, or district.built_up without any).
-- So a change today moves neither a past year's figures nor a replay of a moment before it.
CREATE TABLE district_built_up (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_code  text NOT NULL REFERENCES district (code),
    built_up       boolean NOT NULL,
    was            boolean NOT NULL,
    effective_from date NOT NULL,
    recorded_by    text NOT NULL,
    recorded_at    timestamptz NOT NULL
);
CREATE INDEX district_built_up_by_district ON district_built_up (district_code, effective_from DESC, recorded_at DESC);

-- The only way a history row is written: no role has INSERT on district_built_up, so nobody
-- chooses `was` or back-dates effective_from. Owner's rights; the stamp triggers of 0070 still
-- make the person who changed the district the author and now the record time.
CREATE FUNCTION vl_district_built_up_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    -- One statement for all the districts an UPDATE changed: one audit link, not one per row.
    INSERT INTO district_built_up (district_code, built_up, was, effective_from)
    SELECT n.code, n.built_up, o.built_up, vl_today()
      FROM vl_new_districts n JOIN vl_old_districts o ON o.code = n.code
     WHERE n.built_up IS DISTINCT FROM o.built_up
     ORDER BY n.code;
    RETURN NULL;
END
$$;

CREATE TRIGGER district_built_up_changed AFTER UPDATE ON district
    REFERENCING OLD TABLE AS vl_old_districts NEW TABLE AS vl_new_districts
    FOR EACH STATEMENT EXECUTE FUNCTION vl_district_built_up_changed();
-- A district's code is what its history hangs on.
CREATE FUNCTION vl_district_code_fixed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.code IS DISTINCT FROM OLD.code THEN
        PERFORM vl_rule('district_code_fixed', format('district "%s": its code cannot be changed', OLD.code));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER district_code_fixed BEFORE UPDATE OF code ON district
    FOR EACH ROW EXECUTE FUNCTION vl_district_code_fixed();
CREATE TRIGGER district_built_up_history_fixed BEFORE UPDATE OR DELETE ON district_built_up
    FOR EACH ROW EXECUTE FUNCTION vl_registry_history_fixed();

-- The flag of a district on day p_day as recorded at p_moment (NULL: as recorded now).
CREATE FUNCTION vl_district_built_up_on(p_code text, p_day date, p_moment timestamptz) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce(
        (SELECT b.built_up FROM district_built_up b
          WHERE b.district_code = p_code AND b.effective_from <= p_day AND (p_moment IS NULL OR b.recorded_at <= p_moment)
          ORDER BY b.effective_from DESC, b.recorded_at DESC, b.id DESC LIMIT 1),
        (SELECT b.was FROM district_built_up b WHERE b.district_code = p_code ORDER BY b.recorded_at, b.id LIMIT 1),
        (SELECT d.built_up FROM district d WHERE d.code = p_code))
$$;

SELECT vl_security_attach('district_built_up');
SELECT vl_audit_attach('district_built_up');
SELECT vl_stamp_attach('district_built_up');
GRANT EXECUTE ON FUNCTION vl_district_built_up_on(text, date, timestamptz) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;

-- ## Functions cannot be hijacked through a temp schema
--
-- A function resolves unqualified table names through the search_path of the session that runs
-- it, where pg_temp comes first unless it is named: a staff member's temp table
-- volunteer_correction took the correction records of the trigger. Every function of vledger's
-- schema that reads or writes a table, runs as a trigger, or runs with its owner's rights gets a
-- fixed path: the schema the migration runs in (not a hard-coded "public": a later step puts each
-- city in a schema of its own), pg_catalog, and pg_temp last. Only code that names no table stays
-- as it is (the caller's rights, not a trigger, no FROM, INTO, EXECUTE, PERFORM…: vl_mask_phone,
-- vl_time_zone, vl_id_number_valid, vl_rule), because a SET clause costs a GUC change a call (the
-- ID number check runs once per imported row) and stops the planner from inlining SQL functions;
-- whatever tables they reach are read by pinned functions (vl_time_zone calls vl_setting).
--
-- vl_pin_search_path() is idempotent and returns the functions it changed. Every migration run
-- ends with it (MigrationRunner), so functions created by later migrations are pinned too; the
-- catalog test (SecurityCatalogTests) lists any function that lacks the path and fails.
CREATE FUNCTION vl_function_needs_fixed_path(p_function oid) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT p.prosecdef
        OR p.prorettype = 'trigger'::regtype
        OR l.lanname NOT IN ('sql', 'plpgsql')
        OR p.prosrc ~* '\m(from|join|into|update|delete|insert|execute|perform|copy|lock|table|call)\M'
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang
    WHERE p.oid = p_function
$$;

CREATE FUNCTION vl_fixed_search_path() RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT pg_catalog.format('%I, pg_catalog, pg_temp', pg_catalog.current_schema()) $$;

-- Functions of the schema (not those of extensions such as btree_gist) that need a fixed path
-- and do not have exactly vl_fixed_search_path().
CREATE FUNCTION vl_functions_without_fixed_path() RETURNS SETOF regprocedure
    LANGUAGE sql STABLE
    AS $$
    SELECT p.oid::regprocedure
      FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = pg_catalog.current_schema()::regnamespace
       AND p.prokind IN ('f', 'p')
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
       AND vl_function_needs_fixed_path(p.oid)
       AND NOT coalesce('search_path=' || vl_fixed_search_path() = ANY (p.proconfig), false)
     ORDER BY 1::text
$$;

CREATE FUNCTION vl_pin_search_path() RETURNS SETOF regprocedure
    LANGUAGE plpgsql
    AS $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT * FROM vl_functions_without_fixed_path() LOOP
        EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = %s', f, vl_fixed_search_path());
        RETURN NEXT f;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION vl_pin_search_path() FROM PUBLIC;

-- 0042 named the table as public.volunteer.
CREATE OR REPLACE FUNCTION vl_is_admin(p_login text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT pg_has_role(p_login, 'vledger_admin', 'MEMBER')
        OR pg_has_role(p_login, (SELECT relowner FROM pg_class WHERE oid = 'volunteer'::regclass), 'MEMBER')
$$;

SELECT count(*) AS pinned FROM vl_pin_search_path();
