-- An activity of a project run by an organisation is run by the project's organisation: an
-- activity that names both names the same one (issue 15; an import row with a project of
-- another organisation is refused with its line). An activity naming only one of them stays as
-- it was (0151, 0154).
CREATE FUNCTION vl_activity_project_organisation() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    p record;
BEGIN
    IF NEW.project_id IS NULL OR NEW.organisation_id IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT p2.organisation_id, o.name INTO p
      FROM community_project p2 JOIN organisation o ON o.id = p2.organisation_id WHERE p2.id = NEW.project_id;
    IF FOUND AND p.organisation_id <> NEW.organisation_id THEN
        PERFORM vl_raise('activity_project_organisation', 'project', NEW.project_id::text,
            format('the project is run by %s (organisation %s), not by organisation %s', p.name, p.organisation_id, NEW.organisation_id),
            jsonb_build_object('org', p.name, 'org_id', p.organisation_id::text, 'activity_org', NEW.organisation_id::text));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER activity_project_organisation BEFORE INSERT OR UPDATE OF project_id, organisation_id ON activity
    FOR EACH ROW EXECUTE FUNCTION vl_activity_project_organisation();
