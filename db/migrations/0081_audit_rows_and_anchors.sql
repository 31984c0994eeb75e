-- Issue 11, section 6: the audit trail notices what it cannot prevent.
--
-- The owner (or a superuser) can write around the trail: `ALTER TABLE … DISABLE TRIGGER ALL` or
-- `SET session_replication_role = replica` changes a row with no link; with the trail's own
-- triggers off, the last links can be deleted with their rows, or the whole chain recomputed.
-- vl_audit_verify (0041) recomputes the chain and found none of that. Now:
--
-- (a) vl_audit_verify_rows() compares every audited table's current rows with the last image the
--     trail holds of each (by primary key, after the table's last TRUNCATE): a row changed, added
--     or removed without a link is reported. Images are read back into the table's row type (a
--     time written in another session time zone is the same time), on the columns the image has
--     (a column added by a later migration is not in the older images), masked columns as masked.
-- (b, c) The head of the chain (link number, hash, time) is an anchor kept outside the database:
--     `vledger audit head` prints it, every `metrics --format json` and every statement carries
--     the head it was computed at ("audit_head"), and vl_audit_verify_anchor(id, hash) says
--     whether the chain still holds that link with that hash. Deleted tail links (the anchor's
--     link is gone) and a recomputed chain (its hash differs) are caught once an anchor was filed.

-- The head of the chain as recorded at p_moment (NULL: now): the last link that belongs to the
-- records as they stood then. A link belongs to them when it was written by p_moment, or when its
-- transaction loaded historic rows (0070: the owner's rows with their original record times,
-- listed in historic_load) whose record times are all by p_moment. So a replay prints the head
-- that the report filed at p_moment printed, also in a city whose records were loaded with their
-- original times (the sample city, a move from paper records), where every link is younger than
-- the records it holds.
-- Anyone who reads figures may know it (it is no secret, and it is what they file with them).
CREATE INDEX historic_load_by_transaction ON historic_load (transaction_id);
CREATE FUNCTION vl_audit_head_at(p_moment timestamptz, OUT id bigint, OUT hash text, OUT recorded_at text)
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT c.id, c.hash, to_char(c.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
      FROM audit_chain c
     WHERE p_moment IS NULL
        OR CASE WHEN EXISTS (SELECT 1 FROM historic_load h WHERE h.transaction_id = c.transaction_id)
                THEN NOT EXISTS (SELECT 1 FROM historic_load h WHERE h.transaction_id = c.transaction_id AND h.latest_record > p_moment)
                ELSE c.recorded_at <= p_moment END
     ORDER BY c.id DESC
     LIMIT 1
$$;
REVOKE ALL ON FUNCTION vl_audit_head_at(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_audit_head_at(timestamptz) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;

-- The anchor: NULL when the chain holds link p_id with hash p_hash, else what is wrong. (That
-- the links after it are consistent is vl_audit_verify's part.)
CREATE FUNCTION vl_audit_verify_anchor(p_id bigint, p_hash text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT CASE
        WHEN c.id IS NULL THEN format('the anchor''s link %s is not in the chain (it ends at link %s): links were deleted',
                                      p_id, coalesce((SELECT max(x.id) FROM audit_chain x)::text, 'none'))
        WHEN c.hash <> lower(p_hash) THEN format('link %s has hash %s, the anchor says %s: the chain was rewritten', p_id, c.hash, lower(p_hash))
    END
      FROM (SELECT 1) one LEFT JOIN audit_chain c ON c.id = p_id
$$;

-- Audited tables: those with the audit trigger of 0041.
CREATE FUNCTION vl_audited_tables() RETURNS SETOF regclass
    LANGUAGE sql STABLE
    AS $$
    SELECT t.tgrelid::regclass FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE t.tgname = 'zz_vl_audit_insert' AND c.relnamespace = current_schema()::regnamespace
     ORDER BY c.relname
$$;

-- The first difference between a table's rows and the trail's last images of them (no row: none).
-- Each image is read back into the current row (json_populate_record with the row as its base):
-- the columns the image has take its values (a time as the instant it names, whatever the
-- writer's session time zone), the others (added by a later migration) keep the row's, and the
-- result must be the row itself. Personal columns are masked in the images, so they are compared
-- masked. One pass over the table and one sort of its images; no per-row function call.
-- Owner's rights: it reads every row of every table.
CREATE FUNCTION vl_audit_table_problem(p_table regclass) RETURNS TABLE (row_key jsonb, problem text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET TimeZone = 'UTC'
    SET work_mem = '256MB'
    SET jit = off
    AS $$
DECLARE
    v_name text := (SELECT relname::text FROM pg_class WHERE oid = p_table);
    v_key text := vl_audit_key_sql(p_table);
    v_masked text[];
    v_read_back text;
    v_masked_json text := 'NULL::jsonb';
    v_masked_same text := 'true';
    v_from bigint;
    m text;
BEGIN
    SELECT coalesce(array_agg(a.attname::text ORDER BY a.attnum), '{}') INTO v_masked FROM pg_attribute a
     WHERE a.attrelid = p_table AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attname IN ('id_number', 'phone', 'guardian_phone', 'birth_date');
    IF cardinality(v_masked) = 0 THEN
        v_read_back := 'json_populate_record(c.cur, k.new_row)';
    ELSE
        v_read_back := format('jsonb_populate_record(c.cur, k.new_row::jsonb - %L::text[])', v_masked);
        v_masked_json := format('(%s)::jsonb', vl_audit_row_sql(p_table));
        FOREACH m IN ARRAY v_masked LOOP
            v_masked_same := v_masked_same || format(' AND (k.new_row::jsonb -> %1$L) IS NOT DISTINCT FROM (c.masked -> %1$L)', m);
        END LOOP;
    END IF;
    SELECT coalesce(max(x.id), 0) INTO v_from FROM audit_chain x WHERE x.table_name = v_name AND x.operation = 'TRUNCATE';
    IF v_key = 'NULL::jsonb' THEN
        -- No primary key: the rows cannot be matched one by one; their number is compared.
        RETURN QUERY EXECUTE format($q$
            SELECT NULL::jsonb, format('%%s rows in %s, the trail accounts for %%s', n.current, n.trail)
              FROM (SELECT (SELECT count(*) FROM %s) AS current,
                           (SELECT count(l.new_row) - count(l.old_row) FROM audit_chain c JOIN audit_log l ON l.link_id = c.id
                             WHERE c.table_name = %L AND c.id > %s) AS trail) n
             WHERE n.current <> n.trail$q$, v_name, p_table, v_name, v_from);
        RETURN;
    END IF;
    RETURN QUERY EXECUTE format($q$
        WITH images AS (
            SELECT DISTINCT ON (l.row_key) l.row_key, l.new_row
              FROM audit_chain x JOIN audit_log l ON l.link_id = x.id
             WHERE x.table_name = %1$L AND x.id > %2$s AND l.row_key IS NOT NULL
             ORDER BY l.row_key, l.link_id DESC, l.ordinal DESC
        ), current AS (
            SELECT %3$s AS row_key, r AS cur, %4$s AS masked FROM %5$s r
        )
        SELECT coalesce(c.row_key, k.row_key),
               CASE WHEN k.row_key IS NULL THEN 'the row is not in the audit trail (written with the audit triggers off)'
                    WHEN c.row_key IS NULL THEN 'the row was removed without the audit trail'
                    ELSE 'the row differs from its last image in the audit trail (changed with the audit triggers off)' END
          FROM (SELECT * FROM images i WHERE i.new_row IS NOT NULL) k
          FULL JOIN current c ON c.row_key = k.row_key
         WHERE k.row_key IS NULL OR c.row_key IS NULL OR %6$s IS DISTINCT FROM c.cur OR NOT (%7$s)
         ORDER BY 1
         LIMIT 1$q$, v_name, v_from, v_key, v_masked_json, p_table, v_read_back, v_masked_same);
END
$$;

-- Every audited table's first difference, in table order; no row when all agree.
CREATE FUNCTION vl_audit_verify_rows() RETURNS TABLE (table_name text, row_key jsonb, problem text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT * FROM vl_audited_tables() LOOP
        RETURN QUERY SELECT (SELECT relname::text FROM pg_class WHERE oid = t), p.row_key, p.problem FROM vl_audit_table_problem(t) p;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION vl_audit_table_problem(regclass) FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_audit_verify_rows() FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_audit_verify_anchor(bigint, text) FROM PUBLIC;
-- The trail's readers (0042: the office and admins) verify it.
GRANT EXECUTE ON FUNCTION vl_audit_table_problem(regclass), vl_audit_verify_rows(), vl_audit_verify_anchor(bigint, text)
    TO vledger_office, vledger_admin;

SELECT count(*) AS pinned FROM vl_pin_search_path();
