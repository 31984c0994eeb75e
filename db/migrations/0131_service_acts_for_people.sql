-- The service login takes on person roles and nothing else (issue 13; the contract of 0070).
--
-- vledger_service becomes a member of every person's role, so a service login (a member of
-- vledger_service) may `SET LOCAL ROLE person`. vledger_service is NOINHERIT: its members get
-- none of the people's privileges without that SET ROLE (membership chains stop at a NOINHERIT
-- role), only what is granted to vledger_service itself (vl_session_resolve, vl_statement_check).
-- Create a service login as the owner (deploy/service-login.md):
--   CREATE ROLE vledger_web LOGIN PASSWORD '…' IN ROLE vledger_service;
ALTER ROLE vledger_service NOINHERIT;

-- Existing people, then every person vl_user_add records from now on.
DO $$
DECLARE
    v_login text;
BEGIN
    FOR v_login IN SELECT u.login FROM app_user u JOIN pg_roles r ON r.rolname = u.login LOOP
        EXECUTE format('GRANT %I TO vledger_service', v_login);
    END LOOP;
END
$$;

CREATE FUNCTION vl_service_may_act_for() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = NEW.login) THEN
        EXECUTE format('GRANT %I TO vledger_service', NEW.login);
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION vl_service_may_act_for() FROM PUBLIC;
CREATE TRIGGER vl_service_may_act_for AFTER INSERT ON app_user
    FOR EACH ROW EXECUTE FUNCTION vl_service_may_act_for();

-- The public check of a statement (GET /api/v1/statements/{number}/verify, no session): the
-- service asks as itself.
GRANT EXECUTE ON FUNCTION vl_statement_check(text) TO vledger_service;

-- /healthz: migrations current, asked by the service as itself.
GRANT SELECT ON schema_migration TO vledger_service;

-- At start, `vledger serve` tries one person's login with a password nobody has, to learn whether
-- the sign-in path asks for passwords at all: which login, without reading app_user.
CREATE FUNCTION vl_service_probe_login() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT u.login FROM app_user u JOIN pg_roles r ON r.rolname = u.login AND r.rolcanlogin ORDER BY u.login LIMIT 1
$$;
REVOKE ALL ON FUNCTION vl_service_probe_login() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_service_probe_login() TO vledger_service;
