-- Sessions of `vledger serve` (issue 13, "Who is asking"). A session is a random 256-bit token
-- the client holds; the database keeps only its SHA-256 (computed by the service), with an expiry
-- and a revocation. The table is read and written only through the owner-rights functions below:
-- no day-to-day role has a grant on it, so a hash never reaches a listing.
--
-- The service login (member of vledger_service) calls:
--   vl_session_open(hash, lifetime, address)  acting as the person (SET LOCAL ROLE person, after
--                                             PostgreSQL itself checked the person's password)
--   vl_session_resolve(hash)                  as itself: which person, until when (no write)
--   vl_session_close(hash)                    acting as the person: their own session only
-- Admins (and the owner) call vl_session_list() and vl_session_revoke(id) (`vledger user sessions`).

CREATE TABLE web_session (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login          text NOT NULL REFERENCES app_user (login),
    token_hash     bytea NOT NULL CONSTRAINT web_session_token_hash_unique UNIQUE
                   CONSTRAINT web_session_token_hash_length CHECK (octet_length(token_hash) = 32),
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_by     text,
    client_address text CONSTRAINT web_session_client_address_length CHECK (length(client_address) <= 100),
    CONSTRAINT web_session_expires_after_creation CHECK (expires_at > created_at),
    CONSTRAINT web_session_revocation_complete CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX web_session_by_login ON web_session (login, created_at);

-- Only through the functions: no grants, row-level security on with no policy as a second lock.
REVOKE ALL ON web_session FROM PUBLIC;
ALTER TABLE web_session ENABLE ROW LEVEL SECURITY;
SELECT vl_stamp_attach('web_session');

-- The person the current transaction acts for: the role set by SET LOCAL ROLE, else the login.
CREATE FUNCTION vl_session_actor() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT CASE WHEN current_setting('role') NOT IN ('none', '') THEN current_setting('role') ELSE session_user::text END
$$;
REVOKE ALL ON FUNCTION vl_session_actor() FROM PUBLIC;

CREATE FUNCTION vl_session_open(p_token_hash bytea, p_lifetime interval, p_client_address text)
    RETURNS TABLE (session_id bigint, expires_at timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v_login text := vl_session_actor();
BEGIN
    IF NOT EXISTS (SELECT 1 FROM app_user u WHERE u.login = v_login) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('vledger: %s is not a person of this database: only a person has sessions', v_login);
    END IF;
    IF p_lifetime IS NULL OR p_lifetime <= interval '0' OR p_lifetime > interval '30 days' THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'web_session_lifetime',
            MESSAGE = format('vledger: lifetime "%s": must be more than 0 and at most 30 days', p_lifetime);
    END IF;
    RETURN QUERY
        INSERT INTO web_session AS s (login, token_hash, expires_at, client_address)
        VALUES (v_login, p_token_hash, clock_timestamp() + p_lifetime, left(p_client_address, 100))
        RETURNING s.id, s.expires_at;
END
$$;
REVOKE ALL ON FUNCTION vl_session_open(bytea, interval, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_session_open(bytea, interval, text) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;

-- Which person a live session belongs to; no row when it is unknown, expired or revoked, or
-- its person is no longer a user.
CREATE FUNCTION vl_session_resolve(p_token_hash bytea)
    RETURNS TABLE (session_id bigint, login text, expires_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT s.id, s.login, s.expires_at
      FROM web_session s
      JOIN app_user u ON u.login = s.login
     WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL AND s.expires_at > clock_timestamp()
$$;
REVOKE ALL ON FUNCTION vl_session_resolve(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_session_resolve(bytea) TO vledger_service;

-- Ends the acting person's own session (sign-out). True when it was live.
CREATE FUNCTION vl_session_close(p_token_hash bytea) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    v_login text := vl_session_actor();
BEGIN
    UPDATE web_session SET revoked_at = clock_timestamp(), revoked_by = v_login
     WHERE token_hash = p_token_hash AND login = v_login AND revoked_at IS NULL;
    RETURN FOUND;
END
$$;
REVOKE ALL ON FUNCTION vl_session_close(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_session_close(bytea) TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;

-- Sessions for admins: never the hash; the address cut to its network part.
CREATE FUNCTION vl_session_list()
    RETURNS TABLE (session_id bigint, login text, created_at timestamptz, expires_at timestamptz,
                   revoked_at timestamptz, revoked_by text, client_address text, live boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
BEGIN
    IF NOT (pg_has_role(vl_session_actor(), 'vledger_admin', 'MEMBER') OR pg_has_role(session_user, current_user, 'MEMBER')) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = 'vledger: only an admin lists sessions';
    END IF;
    RETURN QUERY
        SELECT s.id, s.login, s.created_at, s.expires_at, s.revoked_at, s.revoked_by,
               CASE WHEN s.client_address ~ '^\d+\.\d+\.\d+\.\d+$' THEN regexp_replace(s.client_address, '\.\d+$', '.*')
                    WHEN s.client_address IS NULL THEN NULL ELSE left(s.client_address, 4) || '…' END,
               s.revoked_at IS NULL AND s.expires_at > clock_timestamp()
          FROM web_session s
         ORDER BY s.id;
END
$$;
REVOKE ALL ON FUNCTION vl_session_list() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_session_list() TO vledger_admin;

CREATE FUNCTION vl_session_revoke(p_session_id bigint) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    IF NOT (pg_has_role(vl_session_actor(), 'vledger_admin', 'MEMBER') OR pg_has_role(session_user, current_user, 'MEMBER')) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = 'vledger: only an admin revokes sessions';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM web_session WHERE id = p_session_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'web_session_exists',
            MESSAGE = format('vledger: session "%s": no such session', p_session_id);
    END IF;
    UPDATE web_session SET revoked_at = clock_timestamp(), revoked_by = vl_session_actor()
     WHERE id = p_session_id AND revoked_at IS NULL;
    RETURN FOUND;
END
$$;
REVOKE ALL ON FUNCTION vl_session_revoke(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_session_revoke(bigint) TO vledger_admin;
