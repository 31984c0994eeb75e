-- A person's name as printed on what they issue (a statement's default issuer): `user add
-- --display-name`. Without one, the login is printed, as before.
ALTER TABLE app_user ADD COLUMN display_name text
    CONSTRAINT app_user_display_name_length CHECK (display_name IS NULL OR (btrim(display_name) <> '' AND char_length(display_name) <= 100));

CREATE FUNCTION vl_user_set_display_name(p_login text, p_name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM app_user WHERE login = p_login) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'app_user_exists', COLUMN = 'login',
            MESSAGE = format('vledger: login "%s": no such user of this database', p_login);
    END IF;
    IF p_name IS NOT NULL AND (btrim(p_name) = '' OR char_length(p_name) > 100) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'app_user_display_name_length', COLUMN = 'display_name',
            MESSAGE = 'vledger: display_name: must be a name of 1 to 100 characters';
    END IF;
    UPDATE app_user SET display_name = btrim(p_name) WHERE login = p_login;
END
$$;
REVOKE ALL ON FUNCTION vl_user_set_display_name(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_user_set_display_name(text, text) TO vledger_admin;

-- The display name of the person connected (their login is the session user), for every role.
CREATE FUNCTION vl_display_name() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT display_name FROM app_user WHERE login = session_user $$;
REVOKE ALL ON FUNCTION vl_display_name() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_display_name() TO vledger_staff, vledger_organiser, vledger_office, vledger_admin;
