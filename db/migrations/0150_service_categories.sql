-- Service categories (issue 15): a catalogue the office keeps (code, Chinese name, optional
-- parent), seeded with the plan's fifteen (四(九)4). Every activity has exactly one category
-- (activity.category_code, a foreign key); activity.category keeps the text as it was written,
-- so that statements and listings made before this migration read the same.
--
-- Older free text files itself: a code or a catalogue name is that category, a known older word
-- (the sample city's, the spreadsheets') maps to its category, anything else goes to 其他 with
-- its text kept. The same rule runs for the rows migrated here and for every row written later
-- without a code (a COPY of an older file, plain SQL), so no path leaves an activity unfiled.

CREATE TABLE service_category (
    code        text PRIMARY KEY CONSTRAINT service_category_code_format CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    name        text NOT NULL CONSTRAINT service_category_name_unique UNIQUE
                CONSTRAINT service_category_name_present CHECK (btrim(name) <> '' AND length(name) <= 50 AND name = btrim(name)),
    parent_code text CONSTRAINT service_category_parent_fkey REFERENCES service_category (code),
    recorded_by text NOT NULL DEFAULT current_user,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT service_category_not_own_parent CHECK (parent_code IS DISTINCT FROM code)
);

-- The office keeps the catalogue; no one deletes a category (activities file under it). Attached
-- before the seed rows go in, so that they are in the audit trail like every later one.
SELECT vl_security_attach('service_category');
SELECT vl_audit_attach('service_category');
SELECT vl_stamp_attach('service_category');

INSERT INTO service_category (code, name) VALUES
    ('elderly', '关爱空巢老人'),
    ('left_behind_children', '关爱留守儿童'),
    ('needy_workers', '帮扶困难职工'),
    ('disability', '助残服务'),
    ('party_members', '党员志愿服务'),
    ('civil_tourism', '文明旅游'),
    ('civil_traffic', '文明交通'),
    ('civil_internet', '文明上网'),
    ('culture', '文化服务'),
    ('medical', '医疗卫生'),
    ('legal', '法律服务'),
    ('environment', '环境保护'),
    ('fire_safety', '消防安全'),
    ('community', '社区服务'),
    ('other', '其他');

-- The constraints above, checked first to name the field and value (plain SQL gets the same
-- refusal as the CLI); and a parent chain never comes back to the category itself.
CREATE FUNCTION vl_service_category_rules() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.code <> OLD.code THEN
        PERFORM vl_rule('service_category_code_fixed', format('code "%s": a category''s code never changes (activities file under it)', NEW.code));
    END IF;
    IF NEW.code !~ '^[a-z][a-z0-9_]{1,39}$' THEN
        PERFORM vl_rule('service_category_code_format', format('code "%s": must be a lower-case letter, then lower-case letters, digits and _, 2 to 40 in all', NEW.code));
    END IF;
    IF NEW.name IS NULL OR btrim(NEW.name) = '' OR length(NEW.name) > 50 OR NEW.name <> btrim(NEW.name) THEN
        PERFORM vl_rule('service_category_name_present', format('name "%s": must not be empty, at most 50 characters, no surrounding spaces', left(NEW.name, 60)));
    END IF;
    IF EXISTS (SELECT 1 FROM service_category c WHERE c.name = NEW.name AND c.code <> NEW.code) THEN
        PERFORM vl_rule('service_category_name_unique', format('name "%s": a category of that name exists', NEW.name));
    END IF;
    IF NEW.parent_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM service_category c WHERE c.code = NEW.parent_code) THEN
        PERFORM vl_rule('service_category_parent_fkey', format('parent "%s": no such category', NEW.parent_code));
    END IF;
    IF NEW.parent_code IS NOT NULL AND (NEW.parent_code = NEW.code OR EXISTS (
        WITH RECURSIVE up(code) AS (
            SELECT NEW.parent_code
            UNION
            SELECT c.parent_code FROM service_category c JOIN up ON c.code = up.code WHERE c.parent_code IS NOT NULL)
        SELECT 1 FROM up WHERE up.code = NEW.code)) THEN
        PERFORM vl_rule('service_category_not_own_parent',
            format('parent "%s": category %s would be its own ancestor', NEW.parent_code, NEW.code));
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER service_category_rules BEFORE INSERT OR UPDATE ON service_category
    FOR EACH ROW EXECUTE FUNCTION vl_service_category_rules();

-- The category a free text files under (see the top of this file).
CREATE FUNCTION vl_category_for_text(p_text text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce(
        (SELECT c.code FROM service_category c WHERE c.code = btrim(p_text) OR c.name = btrim(p_text) LIMIT 1),
        (SELECT m.code FROM (VALUES
            ('关爱老人', 'elderly'), ('助老', 'elderly'), ('敬老', 'elderly'), ('为老服务', 'elderly'),
            ('留守儿童', 'left_behind_children'), ('关爱儿童', 'left_behind_children'),
            ('困难职工', 'needy_workers'), ('扶残助残', 'disability'), ('助残', 'disability'),
            ('党员服务', 'party_members'), ('文明出行', 'civil_traffic'), ('交通', 'civil_traffic'),
            ('文化宣传', 'culture'), ('文化', 'culture'), ('健康义诊', 'medical'), ('义诊', 'medical'),
            ('法律', 'legal'), ('普法', 'legal'), ('环保', 'environment'), ('消防', 'fire_safety'),
            ('社区', 'community')) AS m(word, code)
          WHERE m.word = btrim(p_text)),
        'other')
$$;

ALTER TABLE activity ADD COLUMN category_code text CONSTRAINT activity_category_code_fkey REFERENCES service_category (code);
UPDATE activity SET category_code = vl_category_for_text(category);
ALTER TABLE activity ALTER COLUMN category_code SET NOT NULL;
CREATE INDEX activity_by_category ON activity (category_code);

-- A row written without a code gets the one its text files under; a new text without a new code
-- refiles it. Once an activity has hours its category stays (a text may still be reworded): the
-- figures by category, replayed as recorded at any moment, read the category the hours were
-- recorded under.
CREATE FUNCTION vl_activity_category() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM hours_entry e WHERE e.activity_id = OLD.id) THEN
        IF NEW.category_code IS DISTINCT FROM OLD.category_code THEN
            PERFORM vl_rule('activity_grouping_fixed',
                format('category "%s": activity %s has hours; its category, organisation and project no longer change', NEW.category_code, OLD.id));
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.category_code IS NULL
       OR (TG_OP = 'UPDATE' AND NEW.category IS DISTINCT FROM OLD.category AND NEW.category_code IS NOT DISTINCT FROM OLD.category_code) THEN
        NEW.category_code := vl_category_for_text(NEW.category);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER activity_category BEFORE INSERT OR UPDATE OF category, category_code ON activity
    FOR EACH ROW EXECUTE FUNCTION vl_activity_category();

GRANT INSERT, UPDATE (name, parent_code) ON service_category TO vledger_office;
GRANT INSERT, UPDATE ON service_category TO vledger_admin;
GRANT UPDATE (category_code) ON activity TO vledger_organiser;
