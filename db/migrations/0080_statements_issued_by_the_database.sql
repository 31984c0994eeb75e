-- Issue 11, section 3: statements cannot be forged.
--
-- A statement (志愿服务证明) used to be computed by the client and INSERTed into statement_issue
-- with the JSON and text it printed: staff could insert a row with any totals for any volunteer,
-- and `statement --reprint` printed it. Now:
--
-- * vl_statement_issue(volunteer, from, to, issuer) is the only way a statement is issued. It
--   runs with the owner's rights, checks that the person may issue for the volunteer (staff: a
--   volunteer of their district today; office, admin, owner: any), takes the volunteer's lock
--   (entries and decisions for the volunteer take it too, so none is in flight), computes the
--   totals, the activities and the star level from the ledger itself (vl_statement_figures) and
--   stores them with what is printed about the volunteer (number, name, ID type, masked ID
--   number), the time zone and star thresholds used, and the head of the audit chain it was
--   computed at. The client renders the JSON and text from that row (issue and --reprint alike).
-- * No role holds INSERT, UPDATE, DELETE or TRUNCATE on statement_issue or statement_counter.
--   Even the owner's own INSERT is refused unless its figures are what the ledger gives
--   (statement_issue_guard, ENABLE ALWAYS), and UPDATE, DELETE and TRUNCATE are refused in
--   replica mode too.
-- * vl_statement_problem(row) replays a statement at the moment it was issued (the ledger is
--   append-only with record times: entries recorded and decisions made by then, the time zone
--   and star thresholds as the audit trail holds them then, the volunteer's name before any later
--   correction) and says what does not match, or NULL. vl_statement_check(number) is the
--   check for people (`vledger statement verify NUMBER`); vl_statement_verify(number) returns
--   exactly what the public check of the web service shows: {valid, number, name (masked),
--   period, hours}.
-- Rows issued before this migration (content and content_text, no stored activities) are
-- checked on their totals and star level.

ALTER TABLE statement_issue
    ADD COLUMN issued_on date,
    ADD COLUMN volunteer_number text,
    ADD COLUMN name text,
    ADD COLUMN id_type text,
    ADD COLUMN masked_id_number text,
    ADD COLUMN time_zone text,
    ADD COLUMN star_thresholds_hours int[],
    ADD COLUMN activities jsonb,
    ADD COLUMN audit_head_id bigint,
    ADD COLUMN audit_head_hash text,
    ADD COLUMN audit_head_recorded_at timestamptz,
    ALTER COLUMN content DROP NOT NULL,
    ALTER COLUMN content_text DROP NOT NULL,
    ADD CONSTRAINT statement_issue_printed_or_stored CHECK (
        (content IS NOT NULL AND content_text IS NOT NULL)
        OR (issued_on IS NOT NULL AND volunteer_number IS NOT NULL AND name IS NOT NULL AND id_type IS NOT NULL
            AND masked_id_number IS NOT NULL AND time_zone IS NOT NULL AND star_thresholds_hours IS NOT NULL
            AND activities IS NOT NULL));

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON statement_issue, statement_counter
    FROM PUBLIC, vledger_staff, vledger_organiser, vledger_office, vledger_admin;

-- A setting as the audit trail holds it at p_moment: the value of the last image of its row
-- written by then (NULL when it did not exist then). Settings have no history table; every
-- change of one is a link of the trail (0041), starting from the snapshot taken when the trail began.
CREATE FUNCTION vl_setting_as_recorded_at(p_name text, p_moment timestamptz) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT l.new_row->>'value'
      FROM audit_chain c JOIN audit_log l ON l.link_id = c.id
     WHERE c.table_name = 'setting' AND c.recorded_at <= p_moment
       AND (l.row_key = jsonb_build_array(p_name) OR c.operation = 'TRUNCATE')
     ORDER BY c.id DESC, l.ordinal DESC
     LIMIT 1
$$;
REVOKE ALL ON FUNCTION vl_setting_as_recorded_at(text, timestamptz) FROM PUBLIC;

-- The star thresholds of the setting's text as Settings.swift reads it: the whole numbers of a
-- comma-separated list, else the default.
CREATE FUNCTION vl_star_thresholds(p_value text) RETURNS int[]
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT coalesce(
        (SELECT array_agg(btrim(x)::int ORDER BY n)
           FROM unnest(string_to_array(p_value, ',')) WITH ORDINALITY u(x, n)
          WHERE btrim(x) ~ '^[+-]?[0-9]{1,9}$'),
        ARRAY[100, 300, 600, 1000, 1500])
$$;

CREATE FUNCTION vl_star_level(p_cumulative_minutes bigint, p_thresholds int[]) RETURNS int
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT count(*)::int FROM unnest(p_thresholds) t WHERE p_cumulative_minutes >= t::bigint * 60 $$;

-- The figures of a statement from the ledger as recorded at p_moment: approved minutes of the
-- period (service start's local date in [from, to] in zone p_zone) by activity (first local date,
-- net minutes; activities netting to zero left out), their total, and every approved minute with
-- service before the end of p_to (for the star level).
CREATE FUNCTION vl_statement_figures(p_volunteer bigint, p_from date, p_to date, p_zone text, p_moment timestamptz,
                                     OUT total_minutes bigint, OUT cumulative_minutes bigint, OUT activities jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET jit = off
    AS $$
DECLARE
    v_start timestamptz := p_from::timestamp AT TIME ZONE p_zone;
    v_end timestamptz := (p_to + 1)::timestamp AT TIME ZONE p_zone;
BEGIN
    SELECT coalesce(jsonb_agg(jsonb_build_object('activity_id', x.id, 'title', x.title, 'category', x.category,
                                                 'date', x.day, 'minutes', x.minutes) ORDER BY x.day, x.id), '[]'::jsonb),
           coalesce(sum(x.minutes), 0)::bigint
      INTO activities, total_minutes
      FROM (SELECT a.id, a.title, a.category, min((e.service_start AT TIME ZONE p_zone)::date) AS day, sum(e.minutes)::bigint AS minutes
              FROM hours_entry e
              JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved' AND d.decided_at <= p_moment
              JOIN activity a ON a.id = e.activity_id
             WHERE e.volunteer_id = p_volunteer AND e.service_start >= v_start AND e.service_start < v_end
               AND e.recorded_at <= p_moment
             GROUP BY a.id, a.title, a.category
            HAVING sum(e.minutes) <> 0) x;
    SELECT coalesce(sum(e.minutes), 0)::bigint INTO cumulative_minutes
      FROM hours_entry e
      JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved' AND d.decided_at <= p_moment
     WHERE e.volunteer_id = p_volunteer AND e.service_start < v_end AND e.recorded_at <= p_moment;
END
$$;
REVOKE ALL ON FUNCTION vl_statement_figures(bigint, date, date, text, timestamptz) FROM PUBLIC;

-- A volunteer's name as recorded at p_moment: the name a later correction replaced, else today's.
CREATE FUNCTION vl_volunteer_name_as_recorded_at(p_volunteer bigint, p_moment timestamptz) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT coalesce(
        (SELECT c.old_value FROM volunteer_correction c
          WHERE c.volunteer_id = p_volunteer AND c.field = 'name' AND c.recorded_at > p_moment
          ORDER BY c.recorded_at, c.id LIMIT 1),
        (SELECT v.name FROM volunteer v WHERE v.id = p_volunteer))
$$;
REVOKE ALL ON FUNCTION vl_volunteer_name_as_recorded_at(bigint, timestamptz) FROM PUBLIC;

-- What in a stored statement is not what the records held when it was issued; NULL when it all
-- matches. p_with_image: also compare the row with its image in the audit trail (a row changed
-- with the triggers off); not at insert time, when there is no image yet.
CREATE FUNCTION vl_statement_problem(s statement_issue, p_with_image boolean) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET jit = off
    AS $$
DECLARE
    v record;
    f record;
    v_zone text := coalesce(vl_setting_as_recorded_at('time_zone', s.issued_at), 'Asia/Shanghai');
    v_thresholds int[] := vl_star_thresholds(vl_setting_as_recorded_at('star_thresholds_hours', s.issued_at));
    v_name text;
    v_image jsonb;
    v_today date;
BEGIN
    SELECT x.id, x.number, x.id_type, x.id_number INTO v FROM volunteer x WHERE x.id = s.volunteer_id;
    IF NOT FOUND THEN
        RETURN format('volunteer %s does not exist', s.volunteer_id);
    END IF;
    IF s.number IS DISTINCT FROM lpad(s.year::text, 4, '0') || '-' || lpad(s.sequence::text, 6, '0') THEN
        RETURN 'its number does not match its year and sequence';
    END IF;
    v_today := (s.issued_at AT TIME ZONE v_zone)::date;
    IF s.year <> extract(year FROM v_today) THEN
        RETURN format('numbered for %s but issued on %s', s.year, v_today);
    END IF;
    IF s.period_to > v_today OR s.period_from > s.period_to THEN
        RETURN format('its period %s to %s was not a past period on %s', s.period_from, s.period_to, v_today);
    END IF;
    IF s.activities IS NOT NULL THEN
        IF s.time_zone IS DISTINCT FROM v_zone THEN
            RETURN format('time zone %s, but the setting was %s when it was issued', s.time_zone, v_zone);
        END IF;
        IF s.star_thresholds_hours IS DISTINCT FROM v_thresholds THEN
            RETURN format('star thresholds %s, but the setting was %s when it was issued', s.star_thresholds_hours, v_thresholds);
        END IF;
        IF s.issued_on IS DISTINCT FROM v_today THEN
            RETURN format('dated %s, but issued on %s', s.issued_on, v_today);
        END IF;
        IF s.volunteer_number IS DISTINCT FROM v.number OR s.id_type IS DISTINCT FROM v.id_type
           OR s.masked_id_number IS DISTINCT FROM vl_mask_id_number(v.id_number) THEN
            RETURN format('the volunteer printed (%s %s %s) is not volunteer %s', s.volunteer_number, s.id_type, s.masked_id_number, v.number);
        END IF;
        v_name := vl_volunteer_name_as_recorded_at(v.id, s.issued_at);
        IF s.name IS DISTINCT FROM v_name THEN
            RETURN format('the name printed (%s) is not the volunteer''s name when it was issued', s.name);
        END IF;
    END IF;
    f := vl_statement_figures(s.volunteer_id, s.period_from, s.period_to, coalesce(s.time_zone, v_zone), s.issued_at);
    IF s.total_minutes <> f.total_minutes THEN
        RETURN format('%s approved minutes printed, the ledger held %s when it was issued', s.total_minutes, f.total_minutes);
    END IF;
    IF s.cumulative_minutes <> f.cumulative_minutes THEN
        RETURN format('%s cumulative minutes printed, the ledger held %s when it was issued', s.cumulative_minutes, f.cumulative_minutes);
    END IF;
    IF s.star_level <> vl_star_level(f.cumulative_minutes, coalesce(s.star_thresholds_hours, v_thresholds)) THEN
        RETURN format('star level %s printed, the ledger gives %s', s.star_level,
                      vl_star_level(f.cumulative_minutes, coalesce(s.star_thresholds_hours, v_thresholds)));
    END IF;
    -- Titles and categories may be edited later: the activities are compared on what was
    -- served (activity, first date, minutes); the printed words are held by the audit image.
    IF s.activities IS NOT NULL AND
       (SELECT coalesce(jsonb_agg(jsonb_build_array(a->'activity_id', a->'date', a->'minutes') ORDER BY n), '[]') FROM jsonb_array_elements(s.activities) WITH ORDINALITY t(a, n))
       IS DISTINCT FROM
       (SELECT coalesce(jsonb_agg(jsonb_build_array(a->'activity_id', a->'date', a->'minutes') ORDER BY n), '[]') FROM jsonb_array_elements(f.activities) WITH ORDINALITY t(a, n)) THEN
        RETURN 'its activities are not the approved hours the ledger held when it was issued';
    END IF;
    -- At insert time the titles and categories are today's too.
    IF NOT p_with_image AND s.activities IS DISTINCT FROM f.activities THEN
        RETURN 'its activities are not printed as the ledger names them';
    END IF;
    IF p_with_image THEN
        SELECT l.new_row::jsonb INTO v_image
          FROM audit_chain c JOIN audit_log l ON l.link_id = c.id
         WHERE c.table_name = 'statement_issue' AND l.row_key = jsonb_build_array(s.id)
         ORDER BY c.id DESC, l.ordinal DESC LIMIT 1;
        IF v_image IS NULL THEN
            RETURN 'the audit trail holds no record of its issue';
        END IF;
        IF vl_audit_same_image('statement_issue'::regclass, v_image, to_jsonb(s)) IS NOT TRUE THEN
            RETURN 'the stored statement differs from the one the audit trail recorded at its issue';
        END IF;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION vl_statement_problem(statement_issue, boolean) FROM PUBLIC;

-- Whether two images of a row of p_table (as the audit trail writes them, 0041) say the same:
-- both read back through the table's row type (so a time written in another session time zone
-- compares equal), on the columns the older image has (a column added later is not part of it);
-- masked columns compared as written.
CREATE FUNCTION vl_audit_same_image(p_table regclass, p_image jsonb, p_current jsonb) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET TimeZone = 'UTC'
    AS $$
DECLARE
    v_masked text[] := ARRAY['id_number', 'phone', 'guardian_phone', 'birth_date'];
    v_current jsonb;
    v_a jsonb;
    v_b jsonb;
BEGIN
    IF p_image IS NULL OR p_current IS NULL THEN
        RETURN p_image IS NOT DISTINCT FROM p_current;
    END IF;
    IF p_image = p_current THEN
        RETURN true;
    END IF;
    SELECT coalesce(jsonb_object_agg(k, val), '{}') INTO v_current FROM jsonb_each(p_current) e(k, val) WHERE p_image ? k;
    EXECUTE format('SELECT to_jsonb(jsonb_populate_record(NULL::%s, $1)), to_jsonb(jsonb_populate_record(NULL::%s, $2))', p_table, p_table)
        INTO v_a, v_b USING p_image - v_masked, v_current - v_masked;
    SELECT coalesce(jsonb_object_agg(k, val), '{}') INTO v_a FROM jsonb_each(v_a) e(k, val) WHERE p_image ? k;
    SELECT coalesce(jsonb_object_agg(k, val), '{}') INTO v_b FROM jsonb_each(v_b) e(k, val) WHERE p_image ? k;
    RETURN v_a = v_b
       AND (SELECT coalesce(jsonb_object_agg(k, val), '{}') FROM jsonb_each(p_image) e(k, val) WHERE k = ANY (v_masked))
         = (SELECT coalesce(jsonb_object_agg(k, val), '{}') FROM jsonb_each(v_current) e(k, val) WHERE k = ANY (v_masked));
END
$$;

-- INSERT on statement_issue by anyone, the owner included: the figures must be the ledger's.
CREATE FUNCTION vl_statement_issue_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v_problem text;
BEGIN
    IF NEW.activities IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'statement_issue_by_function',
            MESSAGE = 'vledger: a statement is issued only by vl_statement_issue (vledger statement), which computes it from the ledger';
    END IF;
    v_problem := vl_statement_problem(NEW, false);
    -- Numbers stay gap-free: the number is the one just taken from the counter (vl_statement_issue).
    IF v_problem IS NULL AND NEW.sequence IS DISTINCT FROM (SELECT c.last_number FROM statement_counter c WHERE c.year = NEW.year) THEN
        v_problem := 'its number was not taken from statement_counter';
    END IF;
    IF v_problem IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'statement_issue_by_function',
            MESSAGE = format('vledger: statement "%s" refused: %s (a statement is issued only by vl_statement_issue, which computes it from the ledger)',
                             NEW.number, v_problem);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER statement_issue_guard BEFORE INSERT ON statement_issue
    FOR EACH ROW EXECUTE FUNCTION vl_statement_issue_guard();
ALTER TABLE statement_issue ENABLE ALWAYS TRIGGER statement_issue_guard;
ALTER TABLE statement_issue ENABLE ALWAYS TRIGGER statement_issue_immutable;

CREATE FUNCTION vl_statement_issue_refuse_truncate() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'statement_issue_immutable',
        MESSAGE = 'vledger: issued statements are never changed or removed (TRUNCATE refused)';
END
$$;
CREATE TRIGGER statement_issue_no_truncate BEFORE TRUNCATE ON statement_issue
    FOR EACH STATEMENT EXECUTE FUNCTION vl_statement_issue_refuse_truncate();
ALTER TABLE statement_issue ENABLE ALWAYS TRIGGER statement_issue_no_truncate;

-- Issues a statement and returns its id. From defaults to the registration date (or to p_to if
-- later), to to the city's today; the issuer to the person's login.
CREATE FUNCTION vl_statement_issue(p_volunteer bigint, p_from date, p_to date, p_issuer text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET jit = off
    AS $$
DECLARE
    v_role text := current_setting('role');
    v_actor text;
    v_owner boolean := false;
    v record;
    v_zone text := vl_time_zone();
    v_thresholds int[] := vl_star_thresholds(vl_setting('star_thresholds_hours'));
    v_today date;
    v_from date;
    v_to date;
    v_issuer text;
    v_at timestamptz;
    f record;
    v_head_id bigint;
    v_head_hash text;
    v_head_at timestamptz;
    v_sequence int;
    v_id bigint;
BEGIN
    IF v_role = 'none' OR v_role = session_user THEN
        v_actor := session_user;
        v_owner := pg_has_role(session_user, current_user, 'MEMBER');
    ELSE
        v_actor := vl_actor_acting_as(v_role);
    END IF;
    SELECT x.id, x.number, x.name, x.id_type, x.id_number, x.registered_on INTO v FROM volunteer x WHERE x.id = p_volunteer;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found', MESSAGE = format('vledger: volunteer %s: no such volunteer', p_volunteer);
    END IF;
    IF NOT (v_owner OR vl_is_admin(v_actor) OR pg_has_role(v_actor, 'vledger_office', 'MEMBER')) THEN
        IF NOT pg_has_role(v_actor, 'vledger_staff', 'MEMBER') THEN
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                MESSAGE = format('permission denied: %s may not issue statements (community staff, the office and admins do)', v_actor);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM vl_district_volunteers(v_actor) AS d(id) WHERE d.id = p_volunteer) THEN
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                MESSAGE = format('volunteer %s is not of your district %s: staff issue statements only for the volunteers of their own district',
                                 v.number, coalesce(vl_login_district(v_actor), '(none)'));
        END IF;
    END IF;
    v_issuer := btrim(coalesce(p_issuer, v_actor));
    IF v_issuer = '' OR length(v_issuer) > 100 THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'statement_issue_issuer_present', COLUMN = 'issuer',
            MESSAGE = format('vledger: issuer "%s": must be a name of 1 to 100 characters', v_issuer);
    END IF;

    -- Entries and decisions for the volunteer take this lock too: none is in flight while the
    -- figures are read, so the replay at issued_at (verify) reads exactly what was read here.
    PERFORM 1 FROM volunteer WHERE id = p_volunteer FOR UPDATE;
    v_at := clock_timestamp();
    v_today := (v_at AT TIME ZONE v_zone)::date;
    v_to := coalesce(p_to, v_today);
    IF v_to > v_today THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'statement_issue_period_past', COLUMN = 'to',
            MESSAGE = format('vledger: to "%s": must not be after today (%s)', v_to, v_today);
    END IF;
    v_from := coalesce(p_from, least(v.registered_on, v_to));
    IF v_from > v_to THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'statement_issue_period_order', COLUMN = 'from',
            MESSAGE = format('vledger: from "%s": must not be after --to (%s)', v_from, v_to);
    END IF;
    f := vl_statement_figures(p_volunteer, v_from, v_to, v_zone, v_at);
    SELECT c.id, c.hash, c.recorded_at INTO v_head_id, v_head_hash, v_head_at FROM audit_chain c ORDER BY c.id DESC LIMIT 1;

    -- The counter row stays locked until commit: numbers are unique and without gaps.
    INSERT INTO statement_counter (year, last_number) VALUES (extract(year FROM v_today)::int, 1)
    ON CONFLICT (year) DO UPDATE SET last_number = statement_counter.last_number + 1
    RETURNING last_number INTO v_sequence;

    INSERT INTO statement_issue (number, year, sequence, volunteer_id, period_from, period_to, total_minutes,
                                 cumulative_minutes, star_level, issued_by, issued_on, volunteer_number, name, id_type,
                                 masked_id_number, time_zone, star_thresholds_hours, activities, audit_head_id, audit_head_hash,
                                 audit_head_recorded_at)
    VALUES (lpad(extract(year FROM v_today)::text, 4, '0') || '-' || lpad(v_sequence::text, 6, '0'),
            extract(year FROM v_today)::int, v_sequence, p_volunteer, v_from, v_to, f.total_minutes,
            f.cumulative_minutes, vl_star_level(f.cumulative_minutes, v_thresholds), v_issuer, v_today, v.number, v.name,
            v.id_type, vl_mask_id_number(v.id_number), v_zone, v_thresholds, f.activities, v_head_id, v_head_hash, v_head_at)
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;
REVOKE ALL ON FUNCTION vl_statement_issue(bigint, date, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_statement_issue(bigint, date, date, text) TO vledger_staff, vledger_office, vledger_admin;

-- The masked name the public check shows: the first character, then one * for each other.
CREATE FUNCTION vl_mask_name(p text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN p IS NULL THEN NULL ELSE left(p, 1) || repeat('*', greatest(length(p) - 1, 0)) END $$;

-- The check for people: one row for an issued statement (valid, and the problem when not).
CREATE FUNCTION vl_statement_check(p_number text,
                                   OUT is_found boolean, OUT is_valid boolean, OUT problem text, OUT statement_number text,
                                   OUT masked_name text, OUT period_from date, OUT period_to date, OUT total_minutes bigint,
                                   OUT issued_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    s statement_issue;
BEGIN
    statement_number := btrim(p_number);
    SELECT * INTO s FROM statement_issue x WHERE x.number = statement_number;
    is_found := s.id IS NOT NULL;
    IF NOT is_found THEN
        is_valid := false;
        problem := 'no statement with this number was issued';
        RETURN;
    END IF;
    problem := vl_statement_problem(s, true);
    is_valid := problem IS NULL;
    masked_name := vl_mask_name(coalesce(s.name, vl_volunteer_name_as_recorded_at(s.volunteer_id, s.issued_at)));
    period_from := s.period_from;
    period_to := s.period_to;
    total_minutes := s.total_minutes;
    issued_at := s.issued_at;
END
$$;
REVOKE ALL ON FUNCTION vl_statement_check(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_statement_check(text) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;

-- Exactly what the public check (GET /api/v1/statements/{number}/verify) shows, for anyone:
-- {"valid", "number", "name" (masked), "period": {"from", "to"}, "hours"}; an unknown number is
-- {"valid": false, "number", "name": null, "period": null, "hours": null}.
CREATE FUNCTION vl_statement_verify(p_number text) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT jsonb_build_object(
        'valid', c.is_valid, 'number', c.statement_number, 'name', c.masked_name,
        'period', CASE WHEN c.is_found THEN jsonb_build_object('from', c.period_from, 'to', c.period_to) END,
        'hours', CASE WHEN c.is_found THEN round(c.total_minutes::numeric / 60, 2) END)
      FROM vl_statement_check(p_number) c
$$;
GRANT EXECUTE ON FUNCTION vl_statement_verify(text) TO PUBLIC;

SELECT count(*) AS pinned FROM vl_pin_search_path();
