-- Permanent residents are a positive whole number (issue 10 §2). A figure of 0 let a built-up
-- district with volunteers add them to the city's numerator and nothing to its denominator, so
-- one district at 10 % could make a city at 20 %.
--
-- population_revision is append-only (0010: its rows cannot be changed or deleted), so a 0
-- recorded before this migration stays in the history of a database that has one. The new
-- constraint therefore checks every row written from now on (NOT VALID) and is validated, and so
-- covers the whole table, when no such row exists. The metrics warn about any district whose
-- registered volunteers exceed its residents, which a 0 left over from before always triggers.
ALTER TABLE population_revision
    ADD CONSTRAINT population_residents_positive CHECK (residents > 0) NOT VALID;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM population_revision WHERE residents <= 0) THEN
        ALTER TABLE population_revision VALIDATE CONSTRAINT population_residents_positive;
    END IF;
END
$$;
