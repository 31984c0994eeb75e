-- `hours import` resolves the volunteers of a whole file at once. Organisers may not read the
-- volunteer table (0042), so, like vl_volunteer_lookup, this runs with its owner's rights and
-- tells only the id and number of each key (a volunteer number or a normalised ID number).
SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_schema()), true);

CREATE FUNCTION vl_volunteer_lookup_many(p_keys text[])
    RETURNS TABLE (key text, id bigint, number text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT
    AS $$
    SELECT k.key, v.id, v.number
    FROM unnest(p_keys) AS k(key)
    JOIN volunteer v ON v.number = k.key
    UNION ALL
    SELECT k.key, v.id, v.number
    FROM unnest(p_keys) AS k(key)
    JOIN volunteer v ON v.id_number = k.key
$$;
