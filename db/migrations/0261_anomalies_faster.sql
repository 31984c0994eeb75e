-- `hours anomalies`, faster (issue 16 §2: a year of a 100,000-volunteer / 3,000,000-entry city
-- in under a second). Measured on that city, the report spent 1.5 of its 2.1 s outside the rules:
-- formatting times. vl_local_text(ts) is not inlined by the planner (its body reads from a
-- subquery and looks up the time zone setting each call), about 50 µs a call. This form takes the
-- time zone as an argument (the report reads it once) and is a single expression, so the planner
-- inlines it: about 1 µs a call, the same text.
CREATE FUNCTION vl_local_text(ts timestamptz, tz text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
SELECT to_char(ts AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS')
       || CASE WHEN (ts AT TIME ZONE tz) < (ts AT TIME ZONE 'UTC')
               THEN '-' || to_char((ts AT TIME ZONE 'UTC') - (ts AT TIME ZONE tz), 'HH24:MI')
               ELSE '+' || to_char((ts AT TIME ZONE tz) - (ts AT TIME ZONE 'UTC'), 'HH24:MI') END
$$;

-- checkin_overlap reads the check-ins of the year widened by the longest activity: its length
-- from an index instead of two scans of every activity (length_minutes is whole minutes, rounded
-- down, so the report widens by one minute more).
CREATE INDEX activity_by_length ON activity (length_minutes);

-- daily_limit/daily_long look up each flagged day's entries by volunteer and time: with the id in
-- the index that is an index-only scan, not a heap page per entry.
DROP INDEX hours_entry_by_volunteer;
CREATE INDEX hours_entry_by_volunteer ON hours_entry (volunteer_id, service_start) INCLUDE (id);

-- recorder_volume/recorder_burst read the hand entries of the year with their ids: all from the index.
DROP INDEX hours_entry_hand;
CREATE INDEX hours_entry_hand ON hours_entry (recorded_by, recorded_at) INCLUDE (id, volunteer_id, minutes, service_start)
    WHERE source IN ('record', 'attendance', 'correction');
