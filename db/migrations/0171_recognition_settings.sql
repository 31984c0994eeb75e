-- The criteria of the recognition reports (issue 16 §3) are settings the office may change
-- (`setting` rows; defaults below, from the 2024 "四个100" notice). Checked when set, by a trigger
-- of their own beside vl_setting_valid (0111, 0120), which is left as it is:
--   recognition_org_criteria         founded_years=N,projects=N,members=N,active_share=S
--   recognition_community_criteria   volunteer_share=S,categories=N,teams=N
--   recognition_star_org_thresholds  one level after another, 1 first, `;` between them:
--                                    L:starK=S,projects=N,activities=N — level L needs a share S of
--                                    the organisation's members at star level K or above, N
--                                    projects and N activities run in the year
-- where S is a share from 0 to 1 with at most four decimals.
CREATE FUNCTION vl_recognition_setting_valid() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    share constant text := '(0(\.[0-9]{1,4})?|1(\.0{1,4})?)';
    level constant text := '[1-9]:star[1-5]=' || share || ',projects=[0-9]{1,4},activities=[0-9]{1,6}';
    levels text[];
BEGIN
    CASE NEW.name
    WHEN 'recognition_org_criteria' THEN
        IF NEW.value !~ ('^founded_years=[0-9]{1,2},projects=[0-9]{1,4},members=[0-9]{1,6},active_share=' || share || '$') THEN
            PERFORM vl_raise('setting_recognition_org_criteria_valid', 'recognition_org_criteria', left(NEW.value, 60),
                'must read founded_years=N,projects=N,members=N,active_share=S (S a share from 0 to 1), like founded_years=3,projects=2,members=20,active_share=0.60');
        END IF;
    WHEN 'recognition_community_criteria' THEN
        IF NEW.value !~ ('^volunteer_share=' || share || ',categories=[0-9]{1,3},teams=[0-9]{1,4}$') THEN
            PERFORM vl_raise('setting_recognition_community_criteria_valid', 'recognition_community_criteria', left(NEW.value, 60),
                'must read volunteer_share=S,categories=N,teams=N (S a share from 0 to 1), like volunteer_share=0.10,categories=3,teams=2');
        END IF;
    WHEN 'recognition_star_org_thresholds' THEN
        levels := string_to_array(NEW.value, ';');
        IF (CASE WHEN NEW.value !~ ('^' || level || '(;' || level || ')*$') THEN true
                 ELSE EXISTS (SELECT 1 FROM generate_subscripts(levels, 1) i WHERE split_part(levels[i], ':', 1)::int <> i) END) THEN
            PERFORM vl_raise('setting_recognition_star_org_thresholds_valid', 'recognition_star_org_thresholds', left(NEW.value, 60),
                'must read L:starK=S,projects=N,activities=N for the levels 1, 2, … in order, separated by ;, like 1:star1=0.10,projects=1,activities=12;2:star1=0.20,projects=2,activities=24');
        END IF;
    ELSE
        NULL;
    END CASE;
    RETURN NEW;
END
$$;
CREATE TRIGGER setting_recognition_valid BEFORE INSERT OR UPDATE OF name, value ON setting
    FOR EACH ROW EXECUTE FUNCTION vl_recognition_setting_valid();

INSERT INTO setting (name, value) VALUES
    ('recognition_org_criteria', 'founded_years=3,projects=2,members=20,active_share=0.60'),
    ('recognition_community_criteria', 'volunteer_share=0.10,categories=3,teams=2'),
    ('recognition_star_org_thresholds', '1:star1=0.10,projects=1,activities=12;2:star1=0.20,projects=2,activities=24;3:star2=0.20,projects=3,activities=48')
ON CONFLICT (name) DO NOTHING;
