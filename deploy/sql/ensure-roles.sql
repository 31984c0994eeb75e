-- Roles are cluster-wide: the group roles of migrations 0040 and 0070 and a database's owner. Idempotent.
-- psql variables: owner, password (may be empty).
DO $$
DECLARE
    group_role text;
BEGIN
    FOREACH group_role IN ARRAY ARRAY['vledger_staff', 'vledger_organiser', 'vledger_office', 'vledger_admin', 'vledger_service'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = group_role) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', group_role);
        END IF;
    END LOOP;
END
$$;
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER CREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS', :'owner')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'owner', :'password') WHERE :'password' <> '' \gexec
