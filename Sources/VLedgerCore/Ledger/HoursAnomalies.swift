import Foundation
import PostgresLibPQ

/// How much an anomaly weighs: what to look at first.
public enum AnomalySeverity: String, Sendable, CaseIterable {
    case high, medium, low

    public func text(in language: Language = LanguageChoice.current) -> String {
        Catalog.text("ui.anomaly.severity.\(rawValue)", in: language)
    }
}

/// One rule of `hours anomalies`: `kind` is its name in JSON and CSV (and the catalog's
/// `anomaly.KIND`), `code` the short stable code people quote ("规则 A03"), `severity` the usual
/// weight (a rule may weigh one row otherwise: see checkin_overlap).
public struct HoursAnomalyRule: Sendable, Equatable {
    public let kind: String
    public let code: String
    public let severity: AnomalySeverity
}

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
    public let severity: AnomalySeverity

    public var code: String { HoursAnomalies.rule(kind).code }

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

    public var code: String { HoursAnomalies.rule(kind).code }
    public var severity: AnomalySeverity { HoursAnomalies.rule(kind).severity }

    /// In English: the JSON's `reason`, the same in every language.
    public var reason: String { reason(in: .en) }

    public func reason(in language: Language) -> String { Catalog.text("anomaly.id_lookup", args, in: language) }
}

public enum HoursAnomalies {
    /// Every rule, in the order of their codes. Codes are never reused or renumbered.
    /// A new rule: a row here, its `anomaly.KIND` text in the Anomalies catalog part, and its
    /// branch in `HoursAnomalySQL.entries` (or a query of its own, like the lookups).
    public static let rules: [HoursAnomalyRule] = [
        HoursAnomalyRule(kind: "late_recording", code: "A01", severity: .medium),
        HoursAnomalyRule(kind: "recorder_volume", code: "A02", severity: .medium),
        HoursAnomalyRule(kind: "daily_limit", code: "A03", severity: .high),
        HoursAnomalyRule(kind: "auto_checkout", code: "A04", severity: .low),
        HoursAnomalyRule(kind: "self_approval", code: "A05", severity: .medium),
        HoursAnomalyRule(kind: "id_lookup_misses", code: "A06", severity: .medium),
        HoursAnomalyRule(kind: "id_lookup_limited", code: "A07", severity: .high),
        HoursAnomalyRule(kind: "daily_long", code: "A08", severity: .low),
        HoursAnomalyRule(kind: "recorder_burst", code: "A09", severity: .high),
        // High when the activities' times overlap, medium when one ends as the other starts.
        HoursAnomalyRule(kind: "checkin_overlap", code: "A10", severity: .high),
        // Recorded after the 10 working days (issue 16 §1, provenance `late`, 补录).
        HoursAnomalyRule(kind: "late_entry", code: "A11", severity: .medium),
    ]

    public static func rule(_ kind: String) -> HoursAnomalyRule {
        rules.first { $0.kind == kind } ?? HoursAnomalyRule(kind: kind, code: "", severity: .medium)
    }

    /// Overrides of the settings for one report (nil: the setting, else its default).
    public struct Limits: Sendable {
        public var lateDays: Int?
        public var recorderHourlyEntries: Int?
        public var dailyNoticeHours: Int?
        public var burstMinutes: Int?
        public var burstVolunteers: Int?

        public init(lateDays: Int? = nil, recorderHourlyEntries: Int? = nil, dailyNoticeHours: Int? = nil,
                    burstMinutes: Int? = nil, burstVolunteers: Int? = nil) {
            self.lateDays = lateDays
            self.recorderHourlyEntries = recorderHourlyEntries
            self.dailyNoticeHours = dailyNoticeHours
            self.burstMinutes = burstMinutes
            self.burstVolunteers = burstVolunteers
        }

        /// The same ranges as the settings' checks in the database (0111, 0185), with their codes.
        public func validate() throws {
            for (setting, value, range) in [("late_recording_days", lateDays, 0...3650),
                                             ("recorder_hourly_entries_limit", recorderHourlyEntries, 1...100_000),
                                             ("daily_hours_notice", dailyNoticeHours, 1...24),
                                             ("recorder_burst_minutes", burstMinutes, 1...1440),
                                             ("recorder_burst_volunteers", burstVolunteers, 2...100_000)] {
                if let value, !range.contains(value) {
                    throw RuleViolation(field: setting, value: String(value), code: "setting_\(setting)_valid")
                }
            }
        }
    }

    /// Every anomaly of entries whose service starts in the local year `year` (all years when nil).
    public static func find(year: Int?, limits: Limits = Limits(), on db: isolated Connection) throws -> [HoursAnomaly] {
        // The same years as the metrics: a year nothing can be recorded in is a typo, not an empty list.
        if let year, !MetricsRequest.years.contains(year) {
            throw RuleViolation(field: "year", value: String(year), code: "year_range",
                                args: ["min": "\(MetricsRequest.years.lowerBound)", "max": "\(MetricsRequest.years.upperBound)"])
        }
        try limits.validate()
        let parameters = try HoursAnomalySQL.Parameters.load(year: year, limits: limits, on: db)
        return try db.query(HoursAnomalySQL.entries(parameters)).map { row in
            let kind: String = try row.decode(0)
            let severity = try row.decode(10, as: String?.self).flatMap(AnomalySeverity.init(rawValue:)) ?? rule(kind).severity
            return HoursAnomaly(
                kind: kind, entryID: try row.decode(1), volunteerNumber: try row.decode(2), activityID: try row.decode(3),
                serviceStart: try row.decode(4), minutes: try row.decode(5), status: try row.decode(6), recordedBy: try row.decode(7),
                recordedAt: try row.decode(8), args: RuleDetail.arguments(try row.decode(9)), severity: severity)
        }
    }

    /// Lookups by ID number that found nothing or were refused, per login and local hour (of
    /// the local year `year` when given); every login's for the office and the admin.
    public static func lookups(year: Int?, on db: isolated Connection) throws -> [IDLookupAnomaly] {
        try db.query(HoursAnomalySQL.lookups(year: year)).map { row in
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
}
