import PostgresLibPQ

/// The annual metrics written as one plain SQL statement, for the benchmark: the fastest way a
/// person with psql would get the same figures, printed like `vledger metrics --format csv`
/// (whole year, records as they stand, plan targets, built-up city).
public enum MetricsHandSQL {
    /// `fromLedger`: sum the entries and decisions directly; otherwise read the yearly rollup.
    /// Only program-chosen integers go into the text (it is run by psql as well).
    public static func csvQuery(year: Int, fromLedger: Bool) -> String {
        csvQuery(year: year, month: 12, fromLedger: fromLedger)
    }

    /// The same as of the end of `month` (`vledger metrics --as-of` that day, one month-end of
    /// `--by month`): the monthly rollup's months up to it, or the ledger up to that day.
    public static func csvQuery(year: Int, month: Int, fromLedger: Bool) -> String {
        let last = CalendarDate.daysIn(month: month, year: year)
        let day = "DATE '\(CalendarDate(year: year, month: month, day: last)!)'"
        let end = month == 12 ? "make_timestamptz(\(year + 1), 1, 1, 0, 0, 0, vl_time_zone())"
            : "make_timestamptz(\(year), \(month + 1), 1, 0, 0, 0, vl_time_zone())"
        let rollup = month == 12 ? "SELECT volunteer_id, minutes FROM metrics_volunteer_year WHERE year = \(year)"
            : "SELECT volunteer_id, sum(minutes) AS minutes FROM metrics_volunteer_month WHERE year = \(year) AND month <= \(month) GROUP BY volunteer_id"
        let net = fromLedger
            ? """
              SELECT e.volunteer_id, sum(e.minutes) AS minutes
                FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
               WHERE e.service_start >= make_timestamptz(\(year), 1, 1, 0, 0, 0, vl_time_zone())
                 AND e.service_start < \(end)
               GROUP BY e.volunteer_id
              """
            : rollup
        return """
            WITH placed AS (
                SELECT DISTINCT ON (volunteer_id) volunteer_id, district_code FROM volunteer_district
                 WHERE effective_from <= \(day) ORDER BY volunteer_id, effective_from DESC),
            reg AS (
                SELECT v.id, p.district_code FROM volunteer v JOIN placed p ON p.volunteer_id = v.id
                 WHERE v.registered_on <= \(day)
                   AND NOT EXISTS (SELECT 1 FROM volunteer_deregistration x WHERE x.volunteer_id = v.id AND x.effective_on <= \(day))),
            net AS (\(net)),
            per AS (
                SELECT r.district_code, count(*) AS r, count(*) FILTER (WHERE n.minutes > 0) AS a, coalesce(sum(n.minutes), 0) AS h
                  FROM reg r LEFT JOIN net n ON n.volunteer_id = r.id GROUP BY r.district_code),
            pop AS (
                SELECT DISTINCT ON (district_code) district_code, residents FROM population_revision
                 WHERE year = \(year) ORDER BY district_code, recorded_at DESC, id DESC),
            rows AS (
                SELECT d.code, d.name, vl_district_built_up_on(d.code, \(day), NULL) AS built_up, p.residents AS pop, coalesce(per.r, 0) AS r, coalesce(per.a, 0) AS a, coalesce(per.h, 0) AS h
                  FROM district d LEFT JOIN pop p ON p.district_code = d.code LEFT JOIN per ON per.district_code = d.code),
            lines AS (
                SELECT 'district' AS level, code, name, built_up::text AS built_up, pop, r, a, h, 0 AS last FROM rows
                UNION ALL
                SELECT 'city', NULL, 'city (built_up)', NULL,
                       CASE WHEN bool_or(pop IS NULL) THEN NULL ELSE coalesce(sum(pop), 0) END,
                       coalesce(sum(r), 0), coalesce(sum(a), 0), coalesce(sum(h), 0), 1
                  FROM rows WHERE built_up)
            SELECT level, code, name, built_up, pop, r, a, h,
                   CASE WHEN pop > 0 THEN round(r::numeric / pop, 4) END,
                   CASE WHEN r > 0 THEN round(a::numeric / r, 4) END,
                   CASE WHEN r > 0 THEN round(h::numeric / (60 * r), 2) END,
                   CASE WHEN pop > 0 THEN (r >= 0.13 * pop)::text END,
                   CASE WHEN r > 0 THEN (a >= 0.70 * r)::text END,
                   CASE WHEN r > 0 THEN (h >= 25 * 60 * r)::text END,
                   CASE WHEN pop IS NOT NULL THEN greatest(0, ceil(0.13 * pop) - r) END,
                   greatest(0, ceil(0.70 * r) - a),
                   round(greatest(0, 25 * 60 * r - h) / 60.0, 2)
              FROM lines ORDER BY last, code
            """
    }

    /// The split of approved minutes by provenance (issue 16), summed straight from the ledger's
    /// entries and decisions whatever `vledger metrics` reads: rows `level, code, clock, entered,
    /// late` per district by code, then the built-up city, to compare with `minutes_by_provenance`.
    public static func provenanceQuery(year: Int) -> String {
        let day = "DATE '\(year)-12-31'"
        return """
            WITH placed AS (
                SELECT DISTINCT ON (volunteer_id) volunteer_id, district_code FROM volunteer_district
                 WHERE effective_from <= \(day) ORDER BY volunteer_id, effective_from DESC),
            reg AS (
                SELECT v.id, p.district_code FROM volunteer v JOIN placed p ON p.volunteer_id = v.id
                 WHERE v.registered_on <= \(day)
                   AND NOT EXISTS (SELECT 1 FROM volunteer_deregistration x WHERE x.volunteer_id = v.id AND x.effective_on <= \(day))),
            per AS (
                SELECT r.district_code,
                       coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'clock'), 0) AS c,
                       coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'entered'), 0) AS n,
                       coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'late'), 0) AS l
                  FROM reg r
                  JOIN hours_entry e ON e.volunteer_id = r.id
                  JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
                 WHERE e.service_start >= make_timestamptz(\(year), 1, 1, 0, 0, 0, vl_time_zone())
                   AND e.service_start < make_timestamptz(\(year + 1), 1, 1, 0, 0, 0, vl_time_zone())
                 GROUP BY r.district_code),
            rows AS (
                SELECT d.code, vl_district_built_up_on(d.code, \(day), NULL) AS built_up,
                       coalesce(per.c, 0) AS c, coalesce(per.n, 0) AS n, coalesce(per.l, 0) AS l
                  FROM district d LEFT JOIN per ON per.district_code = d.code)
            SELECT 'district', code, c, n, l, 0 AS last FROM rows
            UNION ALL
            SELECT 'city', '', coalesce(sum(c), 0), coalesce(sum(n), 0), coalesce(sum(l), 0), 1 FROM rows WHERE built_up
            ORDER BY last, code
            """
    }
}
