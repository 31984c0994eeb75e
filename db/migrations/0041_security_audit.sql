-- The audit trail: every INSERT, UPDATE, DELETE and TRUNCATE on every table, with who, when,
-- what, and the old and new values (personal data masked), in a hash chain so that a rewritten
-- history is detectable (`vledger audit verify`).
--
-- Bulk imports write hundreds of thousands of rows in one statement, so auditing is per
-- STATEMENT: one trigger reads the statement's transition table and writes all its audit rows
-- set-based, and the statement becomes one link of the chain whose hash covers the digest of
-- every row it wrote. Links are appended one transaction at a time (a transaction-scoped
-- advisory lock), so link numbers are gapless and each link names the hash of the one before.

-- One link per audited statement.
CREATE TABLE audit_chain (
    id             bigint PRIMARY KEY,
    table_name     text NOT NULL,
    operation      text NOT NULL CONSTRAINT audit_chain_operation_known
                   CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'SNAPSHOT')),
    row_count      bigint NOT NULL,
    -- The login that connected (cannot be changed within a session) and the role the statement ran as.
    session_login  text NOT NULL,
    current_login  text NOT NULL,
    transaction_id xid8 NOT NULL,
    recorded_at    timestamptz NOT NULL,
    rows_digest    text NOT NULL,
    previous_hash  text NOT NULL,
    hash           text NOT NULL
);
CREATE INDEX audit_chain_by_table ON audit_chain (table_name, recorded_at);
CREATE INDEX audit_chain_by_time ON audit_chain (recorded_at);

-- The rows a link wrote, in the order its digest covers them.
-- No foreign key to audit_chain: a per-row check would double the cost of a bulk import, and
-- `audit verify` finds rows without a link anyway.
-- Rows are json, not jsonb: kept exactly as written, and hashed from that very text (turning
-- jsonb back into text for the digest cost more than the rest of the audit together).
CREATE TABLE audit_log (
    link_id bigint NOT NULL,
    ordinal int NOT NULL,
    row_key jsonb,
    old_row json,
    new_row json,
    PRIMARY KEY (link_id, ordinal)
);

-- Masks as Masking.swift does: 210682********1234, 138****5678.
-- vl_mask_id_number(text) comes from 0010_registry_rules.sql (same masking as the CLI's).
-- vl_mask_phone(text) also comes from 0010_registry_rules.sql.

-- A link's digest: sha256 over the sha256 of each of its rows, in ordinal order. A row is
-- hashed as its stored text: four JSON texts one per line (a JSON text has a definite end, so
-- the sequence reads back one way only). The same expression is written out in
-- vl_audit_link_digest and vl_audit_verify rather than called as a function: a function call
-- per row tripled the cost of a bulk import's audit. The rows are fed in ordinal order by a
-- sorted subquery (the primary key index gives that order without a sort).
CREATE FUNCTION vl_audit_empty_digest() RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT encode(sha256(''::bytea), 'hex') $$;

CREATE FUNCTION vl_audit_link_digest(p_link_id bigint) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = public, pg_temp
    AS $$
    SELECT coalesce(encode(sha256(string_agg(h, ''::bytea)), 'hex'), vl_audit_empty_digest())
    FROM (SELECT sha256(convert_to(l.ordinal::text || E'\n' || coalesce(l.row_key::text, 'null') || E'\n'
                                   || coalesce(l.old_row::text, 'null') || E'\n' || coalesce(l.new_row::text, 'null'), 'UTF8')) AS h
          FROM audit_log l WHERE l.link_id = p_link_id ORDER BY l.ordinal) rows
$$;

-- sha256(previous hash || canonical link content). Times are written in UTC with microseconds,
-- so the text never depends on the session's time zone or date style.
CREATE FUNCTION vl_audit_link_hash(
    p_previous_hash text, p_id bigint, p_table text, p_operation text, p_row_count bigint,
    p_session_login text, p_current_login text, p_transaction_id xid8, p_recorded_at timestamptz, p_rows_digest text
) RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT encode(sha256(convert_to(p_previous_hash || jsonb_build_array(
              p_id, p_table, p_operation, p_row_count, p_session_login, p_current_login, p_transaction_id::text,
              to_char(p_recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_rows_digest)::text, 'UTF8')), 'hex') $$;

-- Takes the chain for this transaction and returns the number and previous hash of the next link.
CREATE FUNCTION vl_audit_open_link(OUT link_id bigint, OUT previous_hash text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7346210682040001);
    -- A fresh snapshot after the lock (READ COMMITTED) sees the last link committed by the previous holder.
    SELECT c.id, c.hash INTO link_id, previous_hash FROM audit_chain c ORDER BY c.id DESC LIMIT 1;
    link_id := coalesce(link_id, 0) + 1;
    previous_hash := coalesce(previous_hash, repeat('0', 64));
END
$$;

CREATE FUNCTION vl_audit_close_link(
    p_link_id bigint, p_previous_hash text, p_table text, p_operation text, p_row_count bigint, p_rows_digest text,
    p_current_login text
) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    v_current text := coalesce(p_current_login, session_user);
    v_at timestamptz := clock_timestamp();
    v_xact xid8 := pg_current_xact_id();
BEGIN
    INSERT INTO audit_chain (id, table_name, operation, row_count, session_login, current_login, transaction_id,
                             recorded_at, rows_digest, previous_hash, hash)
    VALUES (p_link_id, p_table, p_operation, p_row_count, session_user, v_current, v_xact, v_at, p_rows_digest, p_previous_hash,
            vl_audit_link_hash(p_previous_hash, p_link_id, p_table, p_operation, p_row_count, session_user, v_current, v_xact, v_at, p_rows_digest));
END
$$;

-- BEFORE STATEMENT, as the invoker: remembers the role the statement runs as, because the
-- writer below runs as the owner and sees only the owner as current_user. Keyed by trigger
-- depth so that statements run by triggers inside a statement do not overwrite it.
CREATE FUNCTION vl_audit_actor() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = public, pg_temp
    AS $$
BEGIN
    PERFORM set_config('vledger.actor_' || pg_trigger_depth(), current_user, true);
    RETURN NULL;
END
$$;

-- AFTER STATEMENT: writes the statement's rows and its chain link. TG_ARGV[0] is the SQL of the
-- row key over alias r, TG_ARGV[1] the SQL of the masked row as jsonb (both built by
-- vl_audit_attach from the catalog, never from user text).
CREATE FUNCTION vl_audit_write() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    v_key text := TG_ARGV[0];
    v_row text := TG_ARGV[1];
    v_source text;
    v_link bigint;
    v_previous text;
    v_count bigint;
    v_digest text;
    v_any boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE 'SELECT EXISTS (SELECT 1 FROM vl_new)' INTO v_any;
        v_source := format('SELECT %s AS row_key, NULL::json AS old_row, %s AS new_row FROM vl_new r', v_key, v_row);
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE 'SELECT EXISTS (SELECT 1 FROM vl_old)' INTO v_any;
        v_source := format('SELECT %s AS row_key, %s AS old_row, NULL::json AS new_row FROM vl_old r', v_key, v_row);
    ELSIF TG_OP = 'UPDATE' THEN
        EXECUTE 'SELECT EXISTS (SELECT 1 FROM vl_new)' INTO v_any;
        -- Old and new paired by primary key; without one (or when the key changed) each side is its own row.
        v_source := format($q$SELECT coalesce(n.row_key, o.row_key) AS row_key, o.row_data AS old_row, n.row_data AS new_row
                              FROM (SELECT %1$s AS row_key, %2$s AS row_data FROM vl_old r) o
                              FULL JOIN (SELECT %1$s AS row_key, %2$s AS row_data FROM vl_new r) n ON n.row_key = o.row_key$q$,
                           v_key, v_row);
    ELSE
        v_any := true;  -- TRUNCATE: no rows to list, but the link says it happened
        v_source := 'SELECT NULL::jsonb AS row_key, NULL::json AS old_row, NULL::json AS new_row WHERE false';
    END IF;
    IF NOT v_any THEN
        RETURN NULL;  -- a statement that changed nothing leaves no link
    END IF;
    SELECT o.link_id, o.previous_hash INTO v_link, v_previous FROM vl_audit_open_link() o;
    EXECUTE format($q$
        INSERT INTO audit_log (link_id, ordinal, row_key, old_row, new_row)
        SELECT $1, (row_number() OVER ())::int, s.row_key, s.old_row, s.new_row FROM (%s) s$q$, v_source)
        USING v_link;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_digest := vl_audit_link_digest(v_link);
    PERFORM vl_audit_close_link(v_link, v_previous, TG_TABLE_NAME::text, TG_OP, v_count, v_digest,
                                nullif(current_setting('vledger.actor_' || pg_trigger_depth(), true), ''));
    RETURN NULL;
END
$$;

-- The SQL, over alias r, of a row as json with personal data masked. Generic by column name,
-- so any table holding an ID number or a phone is masked the same way. The birth date is the
-- part of the ID number the mask hides, so it is hidden too. A table without such columns is
-- written whole by row_to_json, so a column added later is audited without a new migration.
CREATE FUNCTION vl_audit_row_sql(p_table regclass) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = public, pg_temp
    AS $$
DECLARE
    v_masks text;
BEGIN
    SELECT string_agg(format('%L, %s', a.attname,
                CASE a.attname
                    WHEN 'id_number' THEN format('vl_mask_id_number(r.%I::text)', a.attname)
                    WHEN 'birth_date' THEN format('CASE WHEN r.%I IS NULL THEN NULL ELSE ''****-**-**'' END', a.attname)
                    ELSE format('vl_mask_phone(r.%I::text)', a.attname)
                END), ', ' ORDER BY a.attnum)
    INTO v_masks
    FROM pg_attribute a
    WHERE a.attrelid = p_table AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname IN ('id_number', 'phone', 'guardian_phone', 'birth_date');
    IF v_masks IS NULL THEN
        RETURN 'row_to_json(r)';
    END IF;
    RETURN format('(to_jsonb(r) || jsonb_build_object(%s))::json', v_masks);
END
$$;

-- The SQL, over alias r, of a row's primary key as a jsonb array (NULL without a primary key).
CREATE FUNCTION vl_audit_key_sql(p_table regclass) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = public, pg_temp
    AS $$
    SELECT coalesce(
        (SELECT 'jsonb_build_array(' || string_agg(format('r.%I', a.attname), ', ' ORDER BY k.ordinality) || ')'
         FROM pg_index i
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality)
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
         WHERE i.indrelid = p_table AND i.indisprimary),
        'NULL::jsonb')
$$;

-- Puts a table under audit (idempotent). A table created by a later migration needs one line:
--     SELECT vl_audit_attach('new_table');
CREATE FUNCTION vl_audit_attach(p_table regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = public, pg_temp
    SET client_min_messages = warning
    AS $$
DECLARE
    v_key text := vl_audit_key_sql(p_table);
    v_row text := vl_audit_row_sql(p_table);
BEGIN
    EXECUTE format('DROP TRIGGER IF EXISTS vl_audit_actor ON %s', p_table);
    EXECUTE format('DROP TRIGGER IF EXISTS zz_vl_audit_insert ON %s', p_table);
    EXECUTE format('DROP TRIGGER IF EXISTS zz_vl_audit_update ON %s', p_table);
    EXECUTE format('DROP TRIGGER IF EXISTS zz_vl_audit_delete ON %s', p_table);
    EXECUTE format('DROP TRIGGER IF EXISTS zz_vl_audit_truncate ON %s', p_table);
    EXECUTE format('CREATE TRIGGER vl_audit_actor BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s
                    FOR EACH STATEMENT EXECUTE FUNCTION vl_audit_actor()', p_table);
    -- "zz_": fires after the table's other statement triggers (they fire in name order).
    EXECUTE format('CREATE TRIGGER zz_vl_audit_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS vl_new
                    FOR EACH STATEMENT EXECUTE FUNCTION vl_audit_write(%L, %L)', p_table, v_key, v_row);
    EXECUTE format('CREATE TRIGGER zz_vl_audit_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS vl_old NEW TABLE AS vl_new
                    FOR EACH STATEMENT EXECUTE FUNCTION vl_audit_write(%L, %L)', p_table, v_key, v_row);
    EXECUTE format('CREATE TRIGGER zz_vl_audit_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS vl_old
                    FOR EACH STATEMENT EXECUTE FUNCTION vl_audit_write(%L, %L)', p_table, v_key, v_row);
    EXECUTE format('CREATE TRIGGER zz_vl_audit_truncate AFTER TRUNCATE ON %s
                    FOR EACH STATEMENT EXECUTE FUNCTION vl_audit_write(%L, %L)', p_table, v_key, v_row);
END
$$;

-- The rows a table holds when it comes under audit, as one SNAPSHOT link: the trail then starts
-- from a known state instead of from nothing.
CREATE FUNCTION vl_audit_snapshot(p_table regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = public, pg_temp
    AS $$
DECLARE
    v_link bigint;
    v_previous text;
    v_count bigint;
    v_digest text;
    v_any boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', p_table) INTO v_any;
    IF NOT v_any THEN
        RETURN;
    END IF;
    SELECT o.link_id, o.previous_hash INTO v_link, v_previous FROM vl_audit_open_link() o;
    EXECUTE format($q$
        INSERT INTO audit_log (link_id, ordinal, row_key, old_row, new_row)
        SELECT $1, (row_number() OVER (ORDER BY s.row_key))::int, s.row_key, NULL, s.new_row
        FROM (SELECT %s AS row_key, %s AS new_row FROM %s r) s$q$, vl_audit_key_sql(p_table), vl_audit_row_sql(p_table), p_table)
        USING v_link;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_digest := vl_audit_link_digest(v_link);
    PERFORM vl_audit_close_link(v_link, v_previous, (SELECT relname::text FROM pg_class WHERE oid = p_table), 'SNAPSHOT', v_count, v_digest, current_user::text);
END
$$;

-- Nobody changes or removes the trail: not the roles (they have no privilege), and not by
-- accident the owner either. ENABLE ALWAYS: also in replica mode.
CREATE FUNCTION vl_audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = format('the audit trail cannot be changed or deleted (%s on %s refused)', TG_OP, TG_TABLE_NAME);
END
$$;

CREATE TRIGGER audit_chain_refuse_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION vl_audit_refuse_change();
CREATE TRIGGER audit_log_refuse_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION vl_audit_refuse_change();
ALTER TABLE audit_chain ENABLE ALWAYS TRIGGER audit_chain_refuse_change;
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_refuse_change;

-- Row-level security on the trail itself, forced also on its owner: the owner writes links
-- (through the SECURITY DEFINER writer) and reads them, nothing else, even with the refusing
-- trigger disabled. Readers are granted in 0042.
ALTER TABLE audit_chain ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_chain_owner_read ON audit_chain FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY audit_chain_owner_append ON audit_chain FOR INSERT TO CURRENT_USER WITH CHECK (true);
CREATE POLICY audit_log_owner_read ON audit_log FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY audit_log_owner_append ON audit_log FOR INSERT TO CURRENT_USER WITH CHECK (true);

-- Finds the first place where the trail is not what it was written as; no row when intact.
CREATE FUNCTION vl_audit_verify() RETURNS TABLE (link_id bigint, problem text)
    LANGUAGE sql STABLE
    SET search_path = public, pg_temp
    SET work_mem = '256MB'
    AS $$
    WITH digests AS (
        SELECT c.id AS link_id, (SELECT count(*) FROM audit_log l WHERE l.link_id = c.id) AS row_count,
               vl_audit_link_digest(c.id) AS rows_digest
        FROM audit_chain c
    ), links AS (
        SELECT c.*, lag(c.id) OVER (ORDER BY c.id) AS previous_id, lag(c.hash) OVER (ORDER BY c.id) AS expected_previous,
               d.row_count AS found_rows, d.rows_digest AS found_digest
        FROM audit_chain c
        LEFT JOIN digests d ON d.link_id = c.id
    ), problems AS (
        SELECT id AS link_id, CASE
            WHEN previous_id IS NULL AND id <> 1 THEN format('the chain starts at link %s: links 1 to %s are missing', id, id - 1)
            WHEN previous_id IS NOT NULL AND id <> previous_id + 1 THEN format('links %s to %s are missing', previous_id + 1, id - 1)
            WHEN previous_hash <> coalesce(expected_previous, repeat('0', 64)) THEN 'its previous_hash is not the hash of the link before'
            WHEN hash <> vl_audit_link_hash(previous_hash, id, table_name, operation, row_count, session_login, current_login,
                                            transaction_id, recorded_at, rows_digest)
                THEN format('the link (%s %s by %s at %s) does not match its hash', operation, table_name, session_login, recorded_at)
            WHEN coalesce(found_rows, 0) <> row_count THEN format('%s audit rows found, %s recorded (%s %s)', coalesce(found_rows, 0), row_count, operation, table_name)
            WHEN coalesce(found_digest, vl_audit_empty_digest()) <> rows_digest
                THEN format('its audit rows were changed (%s %s by %s at %s)', operation, table_name, session_login, recorded_at)
        END AS problem
        FROM links
        UNION ALL
        SELECT l.link_id, format('%s audit rows belong to no link', count(*))
        FROM audit_log l
        WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.id = l.link_id)
        GROUP BY l.link_id
    )
    SELECT link_id, problem FROM problems WHERE problem IS NOT NULL ORDER BY link_id LIMIT 1
$$;

-- Audit rows with their link, for people reading the trail (`vledger audit log`).
CREATE VIEW audit_trail AS
SELECT c.id AS link_id, l.ordinal, c.recorded_at, c.session_login, c.current_login, c.transaction_id,
       c.table_name, c.operation, l.row_key, l.old_row, l.new_row
FROM audit_chain c
LEFT JOIN audit_log l ON l.link_id = c.id;

-- Every table that exists now (core and the other migrations before this one) comes under
-- audit, starting from a snapshot of what it holds.
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN
        SELECT c.oid::regclass
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND c.relname NOT IN ('audit_chain', 'audit_log')
        ORDER BY c.relname
    LOOP
        PERFORM vl_audit_attach(t);
        PERFORM vl_audit_snapshot(t);
    END LOOP;
END
$$;

-- Only the triggers (running as the owner) open and close links.
REVOKE ALL ON FUNCTION vl_audit_open_link() FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_audit_close_link(bigint, text, text, text, bigint, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_audit_snapshot(regclass) FROM PUBLIC;
REVOKE ALL ON FUNCTION vl_audit_attach(regclass) FROM PUBLIC;
