import Foundation
import PostgresLibPQ

/// Entries that deserve a second look, each with the reason. They break no rule (the database
/// refuses those); they are the patterns by which hours are inflated within the rules.
public struct HoursAnomaly: Sendable, Equatable {
    public let kind: String
    public let entryID: Int64
    public let volunteerNumber: String
    public let activityID: Int64
    public let serviceStart: String
    public let minutes: Int
    public let status: String
    public let recordedBy: String
    public let recordedAt: String
    /// The numbers behind the reason; `anomaly.KIND` of the catalog says it.
    public let args: [String: String]

    /// In English: the JSON's `reason`, the same in every language.
    public var reason: String { reason(in: .en) }

    public func reason(in language: Language) -> String { Catalog.text("anomaly.\(kind)", args, in: language) }
}

/// A login whose lookups by ID number found nothing, or were refused, within an hour (0090):
/// the pattern of someone recovering full ID numbers from masked ones. Not about one entry.
public struct IDLookupAnomaly: Sendable, Equatable {
    /// `id_lookup_misses`, or `id_lookup_limited` once lookups were refused.
    public let kind: String
    public let login: String
    public let hour: String
    public let lookups: Int
    public let missed: Int
    public let refused: Int
    public let args: [String: String]

    /// In English: the JSON's `reason`, the same in every language.
    public var reason: String { reason(in: .en) }

    public func reason(in language: Language) -> String { Catalog.text("anomaly.id_lookup", args, in: language) }
}

public enum HoursAnomalies {
    /// Lookups by ID number that found nothing or were refused, per login and local hour (of
    /// the local year `year` when given); every login's for the office and the admin.
    public static func lookups(year: Int?, on db: isolated Connection) throws -> [IDLookupAnomaly] {
        try db.query("""
            SELECT login, vl_local_text(hour), lookups, missed, refused, limit_per_hour,
                   array_to_string(missed_keys[1:5], ', ') || CASE WHEN cardinality(missed_keys) > 5 THEN ', …' ELSE '' END
            FROM vl_id_lookup_hours()
            WHERE \(year)::int IS NULL OR extract(year FROM hour AT TIME ZONE vl_time_zone()) = \(year)::int
            ORDER BY hour, login
            """).map { row in
            let login: String = try row.decode(0)
            let hour: String = try row.decode(1)
            let missed = Int(try row.decode(3, as: Int64.self))
            let refused = Int(try row.decode(4, as: Int64.self))
            let limit: Int = try row.decode(5)
            let shown: String = try row.decode(6)
            var args = ["login": login, "missed": String(missed), "hour": hour, "limit": String(limit)]
            if refused > 0 { args["refused"] = String(refused) }
            if !shown.isEmpty { args["tried"] = shown }
            return IDLookupAnomaly(kind: refused > 0 ? "id_lookup_limited" : "id_lookup_misses", login: login, hour: hour,
                                   lookups: Int(try row.decode(2, as: Int64.self)), missed: missed, refused: refused, args: args)
        }
    }

    public static func table(_ lookups: [IDLookupAnomaly]) -> String {
        var table = TextTable(header: ["login", "hour", "lookups", "not found", "refused", "kind", "reason"],
                              alignments: [.left, .left, .right, .right, .right, .left, .left])
        for a in lookups {
            table.append([a.login, a.hour, String(a.lookups), String(a.missed), String(a.refused), a.kind, a.reason(in: LanguageChoice.current)])
        }
        return table.rendered()
    }

    /// The entries' anomalies, then the lookups' (no entry: `entry` is null).
    public static func json(_ anomalies: [HoursAnomaly], lookups: [IDLookupAnomaly]) -> JSONValue {
        guard case .array(let entries) = json(anomalies) else { return json(anomalies) }
        return .array(entries + lookups.map { a in
            .object([
                ("entry", .null), ("kind", .string(a.kind)), ("reason", .string(a.reason)), ("login", .string(a.login)),
                ("hour", .string(a.hour)), ("lookups", .int(Int64(a.lookups))), ("not_found", .int(Int64(a.missed))),
                ("refused", .int(Int64(a.refused))),
            ])
        })
    }

    public struct Limits: Sendable {
        public var lateDays: Int?
        public var recorderHourlyEntries: Int?
        public init(lateDays: Int? = nil, recorderHourlyEntries: Int? = nil) {
            self.lateDays = lateDays
            self.recorderHourlyEntries = recorderHourlyEntries
        }
    }

    /// Every anomaly, for entries whose service starts in the local year `year` (all years when nil).
    public static func find(year: Int?, limits: Limits = Limits(), on db: isolated Connection) throws -> [HoursAnomaly] {
        // The same years as the metrics: a year nothing can be recorded in is a typo, not an empty list.
        if let year, !MetricsRequest.years.contains(year) {
            throw RuleViolation(field: "year", value: String(year), code: "year_range",
                                args: ["min": "\(MetricsRequest.years.lowerBound)", "max": "\(MetricsRequest.years.upperBound)"])
        }
        let lateDays = limits.lateDays
        let burst = limits.recorderHourlyEntries
        return try db.query("""
            WITH params AS (
                SELECT coalesce(\(lateDays)::int, vl_setting('late_recording_days')::int, 30) AS late_days,
                       coalesce(\(burst)::int, vl_setting('recorder_hourly_entries_limit')::int, 120) AS burst,
                       coalesce(vl_setting('daily_hours_limit')::int, 12) AS daily_hours
            ),
            scope AS (
                SELECT e.* FROM hours_entry_status e
                WHERE \(year)::int IS NULL OR extract(year FROM e.service_start AT TIME ZONE vl_time_zone()) = \(year)::int
            ),
            late AS (
                SELECT 'late_recording' AS kind, e.id,
                       jsonb_build_object(
                           'days', floor(extract(epoch FROM e.recorded_at - (e.service_start + e.minutes * interval '1 minute')) / 86400)::int::text,
                           'limit', p.late_days::text) AS args
                FROM scope e, params p
                WHERE e.corrects_id IS NULL
                  AND e.recorded_at > e.service_start + e.minutes * interval '1 minute' + p.late_days * interval '1 day'
            ),
            hourly AS (
                SELECT e.recorded_by, date_trunc('hour', e.recorded_at) AS hour, count(*) AS entries, sum(e.minutes) AS minutes
                FROM hours_entry e
                WHERE e.source IN ('record', 'attendance', 'correction')
                GROUP BY 1, 2
            ),
            burst AS (
                SELECT 'recorder_volume' AS kind, e.id,
                       jsonb_build_object('login', e.recorded_by, 'entries', h.entries::text, 'minutes', h.minutes::text,
                                          'hour', vl_local_text(h.hour), 'limit', p.burst::text) AS args
                FROM scope e
                JOIN hourly h ON h.recorded_by = e.recorded_by AND h.hour = date_trunc('hour', e.recorded_at)
                CROSS JOIN params p
                WHERE e.source IN ('record', 'attendance', 'correction') AND h.entries > p.burst
            ),
            daily AS (
                SELECT e.volunteer_id, (e.service_start AT TIME ZONE vl_time_zone())::date AS day, sum(e.minutes) AS minutes
                FROM hours_entry_status e
                WHERE e.status <> 'rejected'
                  AND e.volunteer_id IN (SELECT volunteer_id FROM scope)
                GROUP BY 1, 2
            ),
            over_daily AS (
                SELECT 'daily_limit' AS kind, e.id,
                       jsonb_build_object('minutes', d.minutes::text, 'day', d.day::text, 'limit', p.daily_hours::text) AS args
                FROM scope e
                JOIN daily d ON d.volunteer_id = e.volunteer_id AND d.day = (e.service_start AT TIME ZONE vl_time_zone())::date
                CROSS JOIN params p
                WHERE e.status <> 'rejected' AND d.minutes > p.daily_hours * 60
            ),
            auto AS (
                SELECT 'auto_checkout' AS kind, e.id, '{}'::jsonb AS args
                FROM scope e WHERE e.source = 'auto_checkout'
            ),
            self AS (
                SELECT 'self_approval' AS kind, e.id, jsonb_build_object('login', e.decided_by) AS args
                FROM scope e WHERE e.status = 'approved' AND e.decided_by = e.recorded_by
            ),
            found AS (
                SELECT * FROM late UNION ALL SELECT * FROM burst UNION ALL SELECT * FROM over_daily
                UNION ALL SELECT * FROM auto UNION ALL SELECT * FROM self
            )
            SELECT f.kind, e.id, v.number, e.activity_id, vl_local_text(e.service_start), e.minutes, e.status, e.recorded_by,
                   vl_local_text(e.recorded_at), f.args::text
            FROM found f
            JOIN hours_entry_status e ON e.id = f.id
            JOIN volunteer v ON v.id = e.volunteer_id
            ORDER BY e.service_start, e.id, f.kind
            """).map { row in
            HoursAnomaly(
                kind: try row.decode(0), entryID: try row.decode(1), volunteerNumber: try row.decode(2), activityID: try row.decode(3),
                serviceStart: try row.decode(4), minutes: try row.decode(5), status: try row.decode(6), recordedBy: try row.decode(7),
                recordedAt: try row.decode(8), args: RuleDetail.arguments(try row.decode(9)))
        }
    }

    public static func table(_ anomalies: [HoursAnomaly]) -> String {
        var table = TextTable(header: ["entry", "volunteer", "activity", "service start", "minutes", "status", "recorded by", "kind", "reason"],
                              alignments: [.right, .left, .right, .left, .right, .left, .left, .left, .left])
        for a in anomalies {
            table.append([String(a.entryID), a.volunteerNumber, String(a.activityID), a.serviceStart, String(a.minutes), a.status,
                          a.recordedBy, a.kind, a.reason(in: LanguageChoice.current)])
        }
        return table.rendered()
    }

    public static func json(_ anomalies: [HoursAnomaly]) -> JSONValue {
        .array(anomalies.map { a in
            .object([
                ("entry", .int(a.entryID)), ("kind", .string(a.kind)), ("reason", .string(a.reason)),
                ("volunteer", .string(a.volunteerNumber)), ("activity", .int(a.activityID)), ("service_start", .string(a.serviceStart)),
                ("minutes", .int(a.minutes)), ("status", .string(a.status)), ("recorded_by", .string(a.recordedBy)),
                ("recorded_at", .string(a.recordedAt)),
            ])
        })
    }
}
