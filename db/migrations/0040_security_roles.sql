-- Who may do what (SPEC.md "Who uses it"): four group roles, one database login per person.
-- The database itself enforces what a login may do (0042); the CLI only connects as that person.
--
-- Roles are cluster-wide while this migration runs once per database, and many databases may
-- share one server (a city per database, a test per database): creating a role that exists is
-- not an error, and two migrations racing to create the same role are both fine.
DO $$
DECLARE
    group_role text;
BEGIN
    FOREACH group_role IN ARRAY ARRAY['vledger_staff', 'vledger_organiser', 'vledger_office', 'vledger_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = group_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', group_role);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- another database's migration created it a moment ago
            END;
        END IF;
    END LOOP;
END
$$;

-- The people who log in, with their role and (for community staff) their district.
-- Written only through vl_user_add, so a row here always matches a login on the server.
CREATE TABLE app_user (
    login         text PRIMARY KEY CONSTRAINT app_user_login_format CHECK (login ~ '^[a-z_][a-z0-9_]{0,62}$'),
    role          text NOT NULL CONSTRAINT app_user_role_known CHECK (role IN ('staff', 'organiser', 'office', 'admin')),
    district_code text REFERENCES district (code),
    created_by    text NOT NULL DEFAULT session_user,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- Staff see and change the volunteers of one district: without one they would see nothing.
    CONSTRAINT app_user_staff_district CHECK (role <> 'staff' OR district_code IS NOT NULL)
);

-- More organiser logins for an activity than its owner (activity.owner_login).
CREATE TABLE activity_organiser (
    activity_id bigint NOT NULL REFERENCES activity (id),
    login       text NOT NULL CONSTRAINT activity_organiser_login_format CHECK (login ~ '^[a-z_][a-z0-9_]{0,62}$'),
    added_by    text NOT NULL DEFAULT current_user,
    added_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (activity_id, login)
);
CREATE INDEX activity_organiser_by_login ON activity_organiser (login);
CREATE INDEX activity_by_owner ON activity (owner_login);

-- Creates a database login for a person and records it. Identifiers go through format('%I');
-- the password arrives already hashed (SCRAM verifier computed by the client with libpq), so the
-- clear password never reaches the server, its logs or pg_stat_activity.
CREATE FUNCTION vl_user_add(p_login text, p_role text, p_district text, p_password_verifier text)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    IF p_login IS NULL OR p_login !~ '^[a-z_][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'app_user_login_format',
            MESSAGE = format('vledger: login "%s": must be lower-case letters, digits and _ (not starting with a digit), at most 63', p_login);
    END IF;
    IF p_login LIKE 'pg\_%' OR p_login LIKE 'vledger\_%' OR p_login IN ('postgres', 'public') THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'app_user_login_reserved',
            MESSAGE = format('vledger: login "%s": reserved name', p_login);
    END IF;
    IF p_role IS NULL OR p_role NOT IN ('staff', 'organiser', 'office', 'admin') THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'app_user_role_known',
            MESSAGE = format('vledger: role "%s": must be staff, organiser, office or admin', p_role);
    END IF;
    IF p_role = 'staff' AND p_district IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'app_user_staff_district',
            MESSAGE = 'vledger: district: staff need a district (--district CODE)';
    END IF;
    IF p_district IS NOT NULL AND NOT EXISTS (SELECT 1 FROM district WHERE code = p_district) THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'app_user_district_code_fkey',
            MESSAGE = format('vledger: district "%s": no such district', p_district);
    END IF;
    IF p_password_verifier IS NOT NULL AND p_password_verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'app_user_password_hashed',
            MESSAGE = 'vledger: password: must arrive as a SCRAM-SHA-256 verifier, never in clear';
    END IF;
    IF EXISTS (SELECT 1 FROM app_user WHERE login = p_login) THEN
        RAISE EXCEPTION USING ERRCODE = 'unique_violation', CONSTRAINT = 'app_user_pkey',
            MESSAGE = format('vledger: login "%s": already a user of this database', p_login);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        -- Roles are shared by every database on the server: never adopt someone else's login.
        RAISE EXCEPTION USING ERRCODE = 'unique_violation', CONSTRAINT = 'app_user_login_free',
            MESSAGE = format('vledger: login "%s": a role of that name already exists on this server', p_login);
    END IF;
    IF p_password_verifier IS NULL THEN
        EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', p_login, 'vledger_' || p_role);
    ELSE
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', p_login, p_password_verifier, 'vledger_' || p_role);
    END IF;
    INSERT INTO app_user (login, role, district_code) VALUES (p_login, p_role, p_district);
END
$$;
REVOKE ALL ON FUNCTION vl_user_add(text, text, text, text) FROM PUBLIC;
