import Foundation
import PostgresLibPQ

/// One criterion of a recognition report: its figure (with the integers a share is made of),
/// the threshold and whether it is met, decided on exact numbers.
public struct RecognitionCriterion: Sendable, Equatable {
    public var key: String
    /// A count, minutes or a share's value (four decimals), as JSON prints it.
    public var value: JSONValue
    public var numerator: Int64?
    public var denominator: Int64?
    /// at_least, more_than or equal.
    public var op: String
    public var threshold: String
    public var meets: Bool

    /// People read the figure: `13/20 = 0.6500`, or the number.
    public var figure: String {
        if let numerator, let denominator { return MetricsRatio.text(numerator, denominator) }
        return value.rendered()
    }

    static func atLeast(_ key: String, _ figure: Int64, _ threshold: Int) -> RecognitionCriterion {
        RecognitionCriterion(key: key, value: .int(figure), op: "at_least", threshold: String(threshold), meets: figure >= Int64(threshold))
    }

    /// numerator / denominator ≥ share, compared exactly (numerator ≥ share × denominator); a share
    /// of nothing (denominator 0) does not meet any threshold.
    static func share(_ key: String, _ numerator: Int64, _ denominator: Int64, atLeast share: Decimal) -> RecognitionCriterion {
        let value = MetricsRatio.value(numerator, denominator).map { JSONValue.number($0) } ?? .null
        return RecognitionCriterion(key: key, value: value, numerator: numerator, denominator: denominator,
                                    op: "at_least", threshold: ExactDecimal.quotient(share, 1, places: 4),
                                    meets: denominator > 0 && Decimal(numerator) >= share * Decimal(denominator))
    }
}

public struct RecognitionRow: Sendable, Equatable {
    /// What the row is about (number, name, district…), in order.
    public var fields: [(String, JSONValue)]
    public var criteria: [RecognitionCriterion]
    public var meets: Bool

    public static func == (a: RecognitionRow, b: RecognitionRow) -> Bool {
        a.fields.map(\.0) == b.fields.map(\.0) && a.fields.map(\.1) == b.fields.map(\.1) && a.criteria == b.criteria && a.meets == b.meets
    }
}

public enum RecognitionKind: String, Sendable, CaseIterable {
    case stars, exemplary, organisations, communities, starOrganisations = "star-organisations"
}

public struct RecognitionReport: Sendable, Equatable {
    public var kind: RecognitionKind
    public var year: Int
    public var asOf: CalendarDate
    /// The settings the criteria came from, by name.
    public var settings: [(String, String)]
    /// The rows' field keys and criterion keys, in order (also when there is no row).
    public var fieldKeys: [String]
    public var criterionKeys: [String]
    public var rows: [RecognitionRow]

    public static func == (a: RecognitionReport, b: RecognitionReport) -> Bool {
        a.kind == b.kind && a.year == b.year && a.rows == b.rows && a.settings.map(\.1) == b.settings.map(\.1)
    }
}

/// The recognition reports of issue 16 §3, for year Y with reference date D = Y-12-31 (the
/// metrics' definitions: registered on D, net approved minutes of entries whose service starts
/// in Y, city time zone).
public enum RecognitionReports {
    public static func run(_ kind: RecognitionKind, year: Int, top: Int = 10, on connection: Connection) async throws -> RecognitionReport {
        try await run(kind, year: year, top: top, in: LedgerSession(connection))
    }

    static func compute(_ kind: RecognitionKind, year: Int, top: Int, on db: isolated Connection) throws -> RecognitionReport {
        guard (2000...2999).contains(year) else { throw RuleViolation(field: "year", value: String(year), code: "recognition_year_range") }
        guard (1...1000).contains(top) else { throw RuleViolation(field: "top", value: String(top), code: "recognition_top_range") }
        let criteria = try RecognitionCriteria.load(db)
        let timeZone = try db.query("SELECT vl_time_zone()").single().decode(0, as: String.self)
        let asOf = CalendarDate(year: year, month: 12, day: 31)!
        let window = try MetricsQuery.window(year: year, asOf: asOf, timeZone: timeZone, on: db)
        let context = Context(year: year, asOf: asOf, window: window, criteria: criteria)
        let rows: [RecognitionRow]
        let settings: [(String, String)]
        switch kind {
        case .stars:
            rows = try stars(context, on: db)
            settings = [("star_thresholds_hours", criteria.starThresholdsHours.map(String.init).joined(separator: ","))]
        case .exemplary:
            rows = try exemplary(context, top: top, on: db)
            settings = [("top", String(top))]
        case .organisations:
            rows = try organisations(context, on: db)
            settings = [("recognition_org_criteria", criteria.organisation.text)]
        case .communities:
            rows = try communities(context, on: db)
            settings = [("recognition_community_criteria", criteria.community.text)]
        case .starOrganisations:
            rows = try starOrganisations(context, on: db)
            settings = [("recognition_star_org_thresholds", criteria.starLevelsText),
                        ("star_thresholds_hours", criteria.starThresholdsHours.map(String.init).joined(separator: ","))]
        }
        let (fieldKeys, criterionKeys) = keys(kind, criteria)
        return RecognitionReport(kind: kind, year: year, asOf: asOf, settings: settings, fieldKeys: fieldKeys, criterionKeys: criterionKeys, rows: rows)
    }

    static func keys(_ kind: RecognitionKind, _ criteria: RecognitionCriteria) -> ([String], [String]) {
        switch kind {
        case .stars: return (["number", "name", "district", "star_level_before", "star_level", "cumulative_minutes"], ["cumulative_hours"])
        case .exemplary: return (["rank", "number", "name", "district", "clock_minutes", "approved_minutes"], ["clock_hours", "anomalies"])
        case .organisations: return (["org", "org_name", "kind", "founded_on"], ["founded_years", "projects", "members", "active_share"])
        case .communities: return (["district", "district_name"], ["volunteer_share", "categories", "teams"])
        case .starOrganisations:
            return (["org", "org_name", "kind", "members", "level"],
                    criteria.starLevels.flatMap { ["level\($0.level)_star\($0.star)_share", "level\($0.level)_projects", "level\($0.level)_activities"] })
        }
    }

    struct Context {
        var year: Int
        var asOf: CalendarDate
        var window: MetricsQuery.Window
        var criteria: RecognitionCriteria
    }

    /// Net approved minutes per volunteer of the entries whose service starts in the year.
    static func yearNet(_ c: Context) -> SQL {
        """
        net AS (SELECT e.volunteer_id, sum(e.minutes) AS minutes
                  FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
                 WHERE e.service_start >= \(c.window.start) AND e.service_start < \(c.window.end)
                 GROUP BY e.volunteer_id)
        """
    }

    /// Cumulative net approved minutes per volunteer up to the year's end, and up to its start.
    static func cumulative(_ c: Context) -> SQL {
        """
        cum AS (SELECT e.volunteer_id, coalesce(sum(e.minutes) FILTER (WHERE e.service_start < \(c.window.start)), 0) AS before,
                       sum(e.minutes) AS total
                  FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
                 WHERE e.service_start < \(c.window.end)
                 GROUP BY e.volunteer_id)
        """
    }

    /// Members on D who are registered on D.
    static func members(_ c: Context) -> SQL {
        """
        members AS (SELECT DISTINCT m.organisation_id, m.volunteer_id
                      FROM organisation_membership m JOIN registered r ON r.id = m.volunteer_id
                     WHERE m.joined_on <= \(c.asOf)
                       AND NOT EXISTS (SELECT 1 FROM organisation_leave l WHERE l.membership_id = m.id AND l.left_on <= \(c.asOf)))
        """
    }

    static func person(_ row: Row, from index: Int) throws -> [(String, JSONValue)] {
        [("number", .string(try row.decode(index))), ("name", .string(try row.decode(index + 1))),
         ("district", (try row.decode(index + 2, as: String?.self)).map { .string($0) } ?? .null)]
    }

    /// Volunteers whose star level (the statement's: cumulative approved hours against the
    /// thresholds) at the year's end is above the one at its start.
    static func stars(_ c: Context, on db: isolated Connection) throws -> [RecognitionRow] {
        let thresholds = c.criteria.starThresholdsHours
        guard let lowest = thresholds.first else { return [] }
        return try db.query("""
            WITH \(MetricsQuery.registeredVolunteers(asOf: c.asOf, recordedAt: nil)), \(cumulative(c))
            SELECT l.number, l.name, r.district_code, cum.before, cum.total
              FROM registered r JOIN cum ON cum.volunteer_id = r.id
             CROSS JOIN LATERAL vl_training_volunteer(r.id) l
             WHERE cum.total >= \(Int64(lowest) * 60)
             ORDER BY cum.total DESC, l.number
            """).compactMap { row -> RecognitionRow? in
            let before: Int64 = try row.decode(3), total: Int64 = try row.decode(4)
            let levelBefore = Statement.starLevel(cumulativeMinutes: before, thresholdsHours: thresholds)
            let level = Statement.starLevel(cumulativeMinutes: total, thresholdsHours: thresholds)
            guard level > levelBefore else { return nil }
            let criterion = RecognitionCriterion(key: "cumulative_hours", value: .number(Statement.hours(total)), op: "at_least",
                                                 threshold: String(thresholds[level - 1]), meets: true)
            var fields: [(String, JSONValue)] = try person(row, from: 0)
            fields += [("star_level_before", .int(Int64(levelBefore))), ("star_level", .int(Int64(level))), ("cumulative_minutes", .int(total))]
            return RecognitionRow(fields: fields, criteria: [criterion], meets: true)
        }
    }

    /// Candidates for 典型: the volunteers with the most approved clock minutes in the year, read
    /// down until `top` of them have no anomaly in the year. Clock minutes: entries credited by a
    /// check-out by code or by an organiser's tap (hours_checkout.source, 0140; an automatic
    /// check-out is not a witnessed end), with their approved corrections.
    static func exemplary(_ c: Context, top: Int, on db: isolated Connection) throws -> [RecognitionRow] {
        let flagged = Dictionary(try HoursAnomalies.find(year: c.year, on: db).map { ($0.volunteerNumber, 1) }, uniquingKeysWith: +)
        let ranked = try db.query("""
            WITH \(MetricsQuery.registeredVolunteers(asOf: c.asOf, recordedAt: nil)), \(yearNet(c)),
            clocked AS (SELECT o.entry_id FROM hours_checkout o WHERE o.entry_id IS NOT NULL AND o.source IN ('tap', 'code')),
            clock AS (SELECT e.volunteer_id, sum(e.minutes) AS minutes
                        FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
                       WHERE e.service_start >= \(c.window.start) AND e.service_start < \(c.window.end)
                         AND (e.id IN (SELECT entry_id FROM clocked) OR e.corrects_id IN (SELECT entry_id FROM clocked))
                       GROUP BY e.volunteer_id)
            SELECT l.number, l.name, r.district_code, clock.minutes, coalesce(net.minutes, 0)
              FROM registered r JOIN clock ON clock.volunteer_id = r.id LEFT JOIN net ON net.volunteer_id = r.id
             CROSS JOIN LATERAL vl_training_volunteer(r.id) l
             WHERE clock.minutes > 0
             ORDER BY clock.minutes DESC, l.number
            """)
        var rows: [RecognitionRow] = []
        var candidates = 0
        for (index, row) in ranked.enumerated() where candidates < top {
            let number: String = try row.decode(0)
            let clock: Int64 = try row.decode(3)
            let anomalies = Int64(flagged[number] ?? 0)
            let criteria = [
                RecognitionCriterion(key: "clock_hours", value: .number(Statement.hours(clock)), op: "more_than", threshold: "0", meets: clock > 0),
                RecognitionCriterion(key: "anomalies", value: .int(anomalies), op: "equal", threshold: "0", meets: anomalies == 0),
            ]
            if anomalies == 0 { candidates += 1 }
            let approved: Int64 = try row.decode(4)
            var fields: [(String, JSONValue)] = [("rank", .int(Int64(index + 1)))]
            fields += try person(row, from: 0)
            fields += [("clock_minutes", .int(clock)), ("approved_minutes", .int(approved))]
            rows.append(RecognitionRow(fields: fields, criteria: criteria, meets: anomalies == 0))
        }
        return rows
    }

    /// 最佳志愿服务组织: every organisation active on D, against `recognition_org_criteria`.
    static func organisations(_ c: Context, on db: isolated Connection) throws -> [RecognitionRow] {
        let want = c.criteria.organisation
        return try db.query("""
            WITH \(MetricsQuery.registeredVolunteers(asOf: c.asOf, recordedAt: nil)), \(yearNet(c)), \(members(c))
            SELECT o.id, o.name, o.kind, o.founded_on, extract(year FROM age(\(c.asOf)::date, o.founded_on))::bigint,
                   (SELECT count(*) FROM community_project p WHERE p.organisation_id = o.id AND p.starts_on <= \(c.asOf)),
                   (SELECT count(*) FROM members mm WHERE mm.organisation_id = o.id),
                   (SELECT count(*) FROM members mm JOIN net n ON n.volunteer_id = mm.volunteer_id WHERE mm.organisation_id = o.id AND n.minutes > 0)
              FROM organisation o
             WHERE o.founded_on <= \(c.asOf) AND vl_organisation_status_on(o.id, \(c.asOf)) = 'active'
             ORDER BY o.id
            """).map { row in
            let members: Int64 = try row.decode(6)
            let criteria = [
                RecognitionCriterion.atLeast("founded_years", try row.decode(4), want.foundedYears),
                RecognitionCriterion.atLeast("projects", try row.decode(5), want.projects),
                RecognitionCriterion.atLeast("members", members, want.members),
                RecognitionCriterion.share("active_share", try row.decode(7), members, atLeast: want.activeShare),
            ]
            return RecognitionRow(fields: [("org", .int(try row.decode(0, as: Int64.self))), ("org_name", .string(try row.decode(1))), ("kind", .string(try row.decode(2))),
                                           ("founded_on", .string((try row.decode(3, as: CalendarDate.self)).description))],
                                  criteria: criteria, meets: criteria.allSatisfy(\.meets))
        }
    }

    /// 最美志愿服务社区: every district, against `recognition_community_criteria`: its registered
    /// volunteers on D against its residents for Y (latest population figure), the service
    /// categories of its activities in Y with approved service, its teams active on D.
    static func communities(_ c: Context, on db: isolated Connection) throws -> [RecognitionRow] {
        let want = c.criteria.community
        return try db.query("""
            WITH \(MetricsQuery.registeredVolunteers(asOf: c.asOf, recordedAt: nil)),
            vols AS (SELECT district_code, count(*) AS n FROM registered GROUP BY district_code),
            pop AS (SELECT DISTINCT ON (district_code) district_code, residents FROM population_revision
                     WHERE year = \(c.year) ORDER BY district_code, recorded_at DESC),
            cats AS (SELECT a.district_code, count(DISTINCT coalesce(a.category_code, a.category)) AS n
                       FROM activity a
                      WHERE EXISTS (SELECT 1 FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
                                     WHERE e.activity_id = a.id AND e.service_start >= \(c.window.start) AND e.service_start < \(c.window.end))
                      GROUP BY a.district_code),
            teams AS (SELECT o.district_code, count(*) AS n FROM organisation o
                       WHERE o.kind IN ('team', 'professional') AND o.founded_on <= \(c.asOf)
                         AND vl_organisation_status_on(o.id, \(c.asOf)) = 'active'
                       GROUP BY o.district_code)
            SELECT d.code, d.name, coalesce(vols.n, 0), coalesce(pop.residents, 0), coalesce(cats.n, 0), coalesce(teams.n, 0)
              FROM district d
              LEFT JOIN vols ON vols.district_code = d.code LEFT JOIN pop ON pop.district_code = d.code
              LEFT JOIN cats ON cats.district_code = d.code LEFT JOIN teams ON teams.district_code = d.code
             ORDER BY d.code
            """).map { row in
            let criteria = [
                RecognitionCriterion.share("volunteer_share", try row.decode(2), try row.decode(3), atLeast: want.volunteerShare),
                RecognitionCriterion.atLeast("categories", try row.decode(4), want.categories),
                RecognitionCriterion.atLeast("teams", try row.decode(5), want.teams),
            ]
            return RecognitionRow(fields: [("district", .string(try row.decode(0))), ("district_name", .string(try row.decode(1)))],
                                  criteria: criteria, meets: criteria.allSatisfy(\.meets))
        }
    }

    /// 星级组织: the highest level of `recognition_star_org_thresholds` an organisation active on
    /// D meets in full (its members at star level K or above on D, its projects, the activities it
    /// ran in Y); every level's figures shown.
    static func starOrganisations(_ c: Context, on db: isolated Connection) throws -> [RecognitionRow] {
        let thresholds = (c.criteria.starThresholdsHours + Array(repeating: Int.max / 120, count: 5)).prefix(5).map { Int64($0) * 60 }
        return try db.query("""
            WITH \(MetricsQuery.registeredVolunteers(asOf: c.asOf, recordedAt: nil)), \(cumulative(c)), \(members(c)),
            stars AS (SELECT mm.organisation_id, count(*) AS n,
                             count(*) FILTER (WHERE coalesce(cum.total, 0) >= \(thresholds[0])) AS s1,
                             count(*) FILTER (WHERE coalesce(cum.total, 0) >= \(thresholds[1])) AS s2,
                             count(*) FILTER (WHERE coalesce(cum.total, 0) >= \(thresholds[2])) AS s3,
                             count(*) FILTER (WHERE coalesce(cum.total, 0) >= \(thresholds[3])) AS s4,
                             count(*) FILTER (WHERE coalesce(cum.total, 0) >= \(thresholds[4])) AS s5
                        FROM members mm LEFT JOIN cum ON cum.volunteer_id = mm.volunteer_id GROUP BY mm.organisation_id)
            SELECT o.id, o.name, o.kind, coalesce(s.n, 0), coalesce(s.s1, 0), coalesce(s.s2, 0), coalesce(s.s3, 0), coalesce(s.s4, 0), coalesce(s.s5, 0),
                   (SELECT count(*) FROM community_project p WHERE p.organisation_id = o.id AND p.starts_on <= \(c.asOf)),
                   (SELECT count(*) FROM activity a WHERE a.organisation_id = o.id AND a.starts_at >= \(c.window.start) AND a.starts_at < \(c.window.end))
              FROM organisation o LEFT JOIN stars s ON s.organisation_id = o.id
             WHERE o.founded_on <= \(c.asOf) AND vl_organisation_status_on(o.id, \(c.asOf)) = 'active'
             ORDER BY o.id
            """).map { row in
            let members: Int64 = try row.decode(3)
            let atStar = try (1...5).map { try row.decode(3 + $0, as: Int64.self) }
            let projects: Int64 = try row.decode(9), activities: Int64 = try row.decode(10)
            var criteria: [RecognitionCriterion] = []
            var reached = 0
            for level in c.criteria.starLevels {
                let set = [
                    RecognitionCriterion.share("level\(level.level)_star\(level.star)_share", atStar[max(1, min(level.star, 5)) - 1], members, atLeast: level.share),
                    RecognitionCriterion.atLeast("level\(level.level)_projects", projects, level.projects),
                    RecognitionCriterion.atLeast("level\(level.level)_activities", activities, level.activities),
                ]
                if set.allSatisfy(\.meets) { reached = level.level }
                criteria += set
            }
            return RecognitionRow(fields: [("org", .int(try row.decode(0, as: Int64.self))), ("org_name", .string(try row.decode(1))), ("kind", .string(try row.decode(2))),
                                           ("members", .int(members)), ("level", .int(Int64(reached)))],
                                  criteria: criteria, meets: reached > 0)
        }
    }
}
