-- The volunteer's self check-in page (no session) names the activity by its title, not 「活动 N」.
-- The service login reads nothing of activity itself (0131); this gives it the title and times of
-- one activity, and only while that activity takes codes (30 minutes before its start to 30
-- minutes after its end, open): the time anyone at the activity sees its title on the organiser's
-- screen anyway. Outside that window, or for an unknown id, no row: activity titles cannot be
-- enumerated through the public page.
CREATE FUNCTION vl_checkin_page_activity(p_activity bigint)
    RETURNS TABLE (title text, starts_at timestamptz, ends_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
    SELECT a.title, a.starts_at, a.ends_at
    FROM activity a
    WHERE a.id = p_activity AND a.closed_at IS NULL
      AND clock_timestamp() BETWEEN a.starts_at - interval '30 minutes' AND a.ends_at + interval '30 minutes'
$$;
REVOKE ALL ON FUNCTION vl_checkin_page_activity(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vl_checkin_page_activity(bigint) TO vledger_service;
