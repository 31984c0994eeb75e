-- Whether a login reads every row the metrics count (issue 10 §3). Row-level security (0042)
-- shows community staff only the volunteers of their own district: their metrics would print
-- every other district with 0 registered and a city row that is not the city. The metrics ask
-- the database, in the report's own snapshot, what the login's scope is, and label a report
-- from a partial scope as such.
--
-- The answer is read from the catalogue, not from role names, so it follows the policies as
-- they stand: a login reads a table completely when row-level security does not apply to it
-- (row security off, superuser, BYPASSRLS, or owner of a table whose security is not FORCEd), or
-- when a permissive SELECT policy whose condition is plainly `true` applies to one of its
-- roles and no restrictive SELECT policy with any other condition does. A login that reads
-- every table completely has the whole city; any other has only the district recorded for it
-- in app_user (none: nothing).
CREATE FUNCTION vl_read_scope_of(p_login name)
    RETURNS TABLE (complete boolean, districts text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    v_role oid := (SELECT r.oid FROM pg_roles r WHERE r.rolname = p_login);
    v_table regclass;
    v_class record;
BEGIN
    complete := true;
    IF v_role IS NULL THEN
        complete := false;
    ELSIF NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.oid = v_role AND (r.rolsuper OR r.rolbypassrls)) THEN
        FOREACH v_table IN ARRAY ARRAY[
            'volunteer', 'volunteer_district', 'volunteer_deregistration', 'hours_entry', 'hours_decision',
            'district', 'population_revision', 'metrics_volunteer_year', 'metrics_volunteer_month']::regclass[]
        LOOP
            SELECT c.relrowsecurity, c.relforcerowsecurity, c.relowner INTO v_class FROM pg_class c WHERE c.oid = v_table;
            CONTINUE WHEN NOT v_class.relrowsecurity;
            CONTINUE WHEN NOT v_class.relforcerowsecurity AND pg_has_role(v_role, v_class.relowner, 'USAGE');
            IF NOT EXISTS (
                   SELECT 1 FROM pg_policy p
                    WHERE p.polrelid = v_table AND p.polpermissive AND p.polcmd IN ('r', '*')
                      AND pg_get_expr(p.polqual, p.polrelid) = 'true'
                      AND (0::oid = ANY (p.polroles)
                           OR EXISTS (SELECT 1 FROM unnest(p.polroles) AS pr(r) WHERE pg_has_role(v_role, pr.r, 'USAGE'))))
               OR EXISTS (
                   SELECT 1 FROM pg_policy p
                    WHERE p.polrelid = v_table AND NOT p.polpermissive AND p.polcmd IN ('r', '*')
                      AND pg_get_expr(p.polqual, p.polrelid) IS DISTINCT FROM 'true'
                      AND (0::oid = ANY (p.polroles)
                           OR EXISTS (SELECT 1 FROM unnest(p.polroles) AS pr(r) WHERE pg_has_role(v_role, pr.r, 'USAGE')))) THEN
                complete := false;
                EXIT;
            END IF;
        END LOOP;
    END IF;
    IF complete THEN
        districts := NULL;
    ELSE
        districts := coalesce((SELECT array_agg(u.district_code ORDER BY u.district_code)
                                 FROM app_user u WHERE u.login = p_login AND u.district_code IS NOT NULL), '{}');
    END IF;
    RETURN NEXT;
END
$$;

-- The scope of the login running the query (current_user, as row-level security sees it).
CREATE FUNCTION vl_read_scope()
    RETURNS TABLE (complete boolean, districts text[])
    LANGUAGE sql STABLE
    SET search_path = public, pg_temp
    AS $$ SELECT s.complete, s.districts FROM vl_read_scope_of(current_user) AS s $$;

REVOKE ALL ON FUNCTION vl_read_scope_of(name) FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_read_scope() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_read_scope_of(name), vl_read_scope()
    TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;
