-- vledger core data model (SPEC.md "Data"). Rules that SQL can hold live here; the Swift code
-- checks them first only to give a friendlier message, never instead.
-- Every row records who wrote it (the database login) and when, so that any figure can be
-- replayed "as recorded at" a moment: rows recorded after it are ignored.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Deployment settings (time zone, minimum age, star thresholds…), one row per name.
CREATE TABLE setting (
    name        text PRIMARY KEY,
    value       text NOT NULL,
    recorded_by text NOT NULL DEFAULT current_user,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

INSERT INTO setting (name, value) VALUES
    ('time_zone', 'Asia/Shanghai'),
    ('minimum_age', '14'),
    ('star_thresholds_hours', '100,300,600,1000,1500'),
    ('daily_hours_limit', '12');

CREATE FUNCTION vl_setting(p_name text) RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT value FROM setting WHERE name = p_name $$;

-- The city's time zone: service dates and year windows are local dates in it.
CREATE FUNCTION vl_time_zone() RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(vl_setting('time_zone'), 'Asia/Shanghai') $$;

-- GB 11643-1999 check digit (ISO 7064 MOD 11-2) of an 18-character resident ID number.
CREATE FUNCTION vl_id_number_valid(p text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$
DECLARE
    weights int[] := ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    total int := 0;
BEGIN
    IF p !~ '^[0-9]{17}[0-9X]$' THEN
        RETURN false;
    END IF;
    FOR i IN 1..17 LOOP
        total := total + substr(p, i, 1)::int * weights[i];
    END LOOP;
    RETURN substr('10X98765432', total % 11 + 1, 1) = substr(p, 18, 1);
END
$$;

-- Administrative divisions (GB/T 2260 code, optionally extended to township/street level).
CREATE TABLE district (
    code        text PRIMARY KEY CONSTRAINT district_code_format CHECK (code ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'),
    name        text NOT NULL CONSTRAINT district_name_present CHECK (btrim(name) <> '' AND length(name) <= 100),
    built_up    boolean NOT NULL DEFAULT false,
    recorded_by text NOT NULL DEFAULT current_user,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Permanent residents of a district for a year. A revision is a new row; the figure in force
-- at a moment is the latest row recorded up to it.
CREATE TABLE population_revision (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_code text NOT NULL REFERENCES district (code),
    year          int NOT NULL CONSTRAINT population_year_range CHECK (year BETWEEN 1949 AND 9999),
    residents     bigint NOT NULL CONSTRAINT population_residents_nonnegative CHECK (residents >= 0),
    source        text,
    recorded_by   text NOT NULL DEFAULT current_user,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX population_revision_lookup ON population_revision (district_code, year, recorded_at DESC);

CREATE SEQUENCE volunteer_number_seq;

-- A registered volunteer. One person registers once in the city: the ID number is unique.
CREATE TABLE volunteer (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Generated from a sequence, never derived from the ID number.
    number              text NOT NULL DEFAULT 'VL' || lpad(nextval('volunteer_number_seq')::text, 8, '0')
                        CONSTRAINT volunteer_number_unique UNIQUE,
    name                text NOT NULL CONSTRAINT volunteer_name_present CHECK (btrim(name) <> '' AND length(name) <= 100),
    id_type             text NOT NULL DEFAULT 'resident_id' CONSTRAINT volunteer_id_type_known CHECK (id_type IN ('resident_id')),
    id_number           text NOT NULL CONSTRAINT volunteer_id_number_unique UNIQUE
                        CONSTRAINT volunteer_id_number_valid CHECK (vl_id_number_valid(id_number)),
    birth_date          date NOT NULL GENERATED ALWAYS AS (
                            make_date(substr(id_number, 7, 4)::int, substr(id_number, 11, 2)::int, substr(id_number, 13, 2)::int)
                        ) STORED,
    sex                 char(1) NOT NULL GENERATED ALWAYS AS (
                            CASE WHEN substr(id_number, 17, 1)::int % 2 = 1 THEN 'M' ELSE 'F' END
                        ) STORED,
    phone               text NOT NULL CONSTRAINT volunteer_phone_format CHECK (phone ~ '^1[3-9][0-9]{9}$'),
    registered_on       date NOT NULL,
    -- The volunteer's own consent to registration, as confirmed by the recording staff member.
    consent_recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    guardian_name       text,
    guardian_phone      text CONSTRAINT volunteer_guardian_phone_format CHECK (guardian_phone ~ '^1[3-9][0-9]{9}$'),
    guardian_consent_at timestamptz,
    recorded_by         text NOT NULL DEFAULT current_user,
    recorded_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT volunteer_born_before_registration CHECK (birth_date <= registered_on),
    CONSTRAINT volunteer_guardian_complete CHECK (
        (guardian_name IS NULL AND guardian_phone IS NULL AND guardian_consent_at IS NULL)
        OR (btrim(guardian_name) <> '' AND guardian_phone IS NOT NULL AND guardian_consent_at IS NOT NULL)
    ),
    CONSTRAINT volunteer_minor_has_guardian CHECK (
        registered_on >= birth_date + interval '18 years' OR guardian_consent_at IS NOT NULL
    )
);

-- Where a volunteer belongs, with effective dates: the district on day D is the row with the
-- latest effective_from on or before D. Registration writes the first row; a move adds one.
CREATE TABLE volunteer_district (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    volunteer_id   bigint NOT NULL REFERENCES volunteer (id),
    district_code  text NOT NULL REFERENCES district (code),
    effective_from date NOT NULL,
    recorded_by    text NOT NULL DEFAULT current_user,
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT volunteer_district_one_per_day UNIQUE (volunteer_id, effective_from)
);
CREATE INDEX volunteer_district_by_district ON volunteer_district (district_code, effective_from);

-- Leaving the register: dated, with a reason; the volunteer row itself is kept.
CREATE TABLE volunteer_deregistration (
    volunteer_id bigint PRIMARY KEY REFERENCES volunteer (id),
    effective_on date NOT NULL,
    reason       text NOT NULL CONSTRAINT deregistration_reason_present CHECK (btrim(reason) <> ''),
    recorded_by  text NOT NULL DEFAULT current_user,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE activity (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title          text NOT NULL CONSTRAINT activity_title_present CHECK (btrim(title) <> '' AND length(title) <= 200),
    category       text NOT NULL DEFAULT '综合' CONSTRAINT activity_category_present CHECK (btrim(category) <> ''),
    district_code  text NOT NULL REFERENCES district (code),
    organiser      text NOT NULL CONSTRAINT activity_organiser_present CHECK (btrim(organiser) <> ''),
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    length_minutes int NOT NULL GENERATED ALWAYS AS (floor(extract(epoch FROM (ends_at - starts_at)) / 60)::int) STORED,
    -- The database login that owns it (row-level security gives organisers their own activities).
    owner_login    text NOT NULL DEFAULT current_user,
    closed_at      timestamptz,
    recorded_by    text NOT NULL DEFAULT current_user,
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT activity_ends_after_start CHECK (ends_at > starts_at)
);

-- The hours ledger. Rows are never updated or deleted: a correction is a new row that points
-- at the entry it corrects and carries a signed change in minutes and a reason.
CREATE TABLE hours_entry (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    volunteer_id  bigint NOT NULL REFERENCES volunteer (id),
    activity_id   bigint NOT NULL REFERENCES activity (id),
    service_start timestamptz NOT NULL,
    minutes       int NOT NULL,
    corrects_id   bigint REFERENCES hours_entry (id),
    reason        text,
    -- A client-chosen key: the same request sent twice finds the first entry instead of adding one.
    request_id    text CONSTRAINT hours_entry_request_unique UNIQUE,
    source        text NOT NULL DEFAULT 'record'
                  CONSTRAINT hours_entry_source_known CHECK (source IN ('record', 'import', 'attendance', 'checkout', 'auto_checkout', 'correction', 'sample')),
    recorded_by   text NOT NULL DEFAULT current_user,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT hours_entry_original_positive CHECK (corrects_id IS NOT NULL OR minutes > 0),
    CONSTRAINT hours_entry_correction_shape CHECK (
        corrects_id IS NULL OR (minutes <> 0 AND reason IS NOT NULL AND btrim(reason) <> '')
    )
);
CREATE INDEX hours_entry_by_volunteer ON hours_entry (volunteer_id, service_start);
CREATE INDEX hours_entry_by_activity ON hours_entry (activity_id);
CREATE INDEX hours_entry_by_correction ON hours_entry (corrects_id) WHERE corrects_id IS NOT NULL;

-- Approval or rejection of an entry: one decision per entry, itself never changed.
-- An entry without a decision is pending; only approved minutes count.
CREATE TABLE hours_decision (
    entry_id   bigint PRIMARY KEY REFERENCES hours_entry (id),
    decision   text NOT NULL CONSTRAINT hours_decision_known CHECK (decision IN ('approved', 'rejected')),
    reason     text,
    decided_by text NOT NULL DEFAULT current_user,
    decided_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT hours_decision_rejection_reason CHECK (decision <> 'rejected' OR (reason IS NOT NULL AND btrim(reason) <> ''))
);

-- Status of every entry as it stands now.
CREATE VIEW hours_entry_status AS
SELECT e.*,
       coalesce(d.decision, 'pending') AS status,
       d.reason AS decision_reason,
       d.decided_by,
       d.decided_at
FROM hours_entry e
LEFT JOIN hours_decision d ON d.entry_id = e.id;
