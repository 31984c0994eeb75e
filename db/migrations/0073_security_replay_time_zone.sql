-- A replay reads the city's year windows in the time zone of the setting as it stands now; the
-- setting has no history of its own (the rollup is kept in one zone, 0030). When the office
-- changed the zone after the replayed moment, the replay cannot be the report filed then, and
-- says so: the audit trail holds every change of the setting since it came under audit (the
-- SNAPSHOT link of 0041 is the state it started from, not a change) (owner's rights to read it, since
-- the trail is readable by the office and admins only).
CREATE FUNCTION vl_setting_changed_after(p_name text, p_moment timestamptz) RETURNS timestamptz
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT min(c.recorded_at)
      FROM audit_chain c
      LEFT JOIN audit_log l ON l.link_id = c.id
     WHERE c.table_name = 'setting' AND c.recorded_at > p_moment AND c.operation <> 'SNAPSHOT'
       AND (c.operation = 'TRUNCATE'
            OR (l.row_key = jsonb_build_array(p_name)
                AND (l.old_row->>'value') IS DISTINCT FROM (l.new_row->>'value')))
$$;
REVOKE ALL ON FUNCTION vl_setting_changed_after(text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_setting_changed_after(text, timestamptz) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;
SELECT count(*) AS pinned FROM vl_pin_search_path();
