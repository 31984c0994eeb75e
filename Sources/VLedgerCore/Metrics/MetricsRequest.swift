import Foundation
import PostgresLibPQ

/// Which districts the city row sums: the built-up area (the plan's wording) or all of them.
public enum MetricsScope: String, Sendable, CaseIterable {
    case builtUp = "built_up"
    case all

    public static func parse(_ text: String) throws -> MetricsScope {
        guard let scope = MetricsScope(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
            throw RuleViolation(field: "scope", value: text, code: "scope")
        }
        return scope
    }
}

/// One target: its exact value and the text it was given in, printed back as given.
public struct MetricsTarget: Sendable, Equatable {
    public let value: Decimal
    public let text: String
}

/// The three targets in force (defaults from the plan: 13 %, 70 %, 25 h).
public struct MetricsTargets: Sendable, Equatable {
    public var registrationShare: MetricsTarget
    public var participationRate: MetricsTarget
    public var hoursPerVolunteer: MetricsTarget

    public static let plan = MetricsTargets(
        registrationShare: MetricsTarget(value: Decimal(string: "0.13")!, text: "0.13"),
        participationRate: MetricsTarget(value: Decimal(string: "0.70")!, text: "0.70"),
        hoursPerVolunteer: MetricsTarget(value: 25, text: "25"))

    /// Validates overrides: ratios in (0, 1], hours ≥ 0 (at most 8784, the hours of a leap year).
    public static func with(registrationShare: String?, participationRate: String?, hoursPerVolunteer: String?) throws -> MetricsTargets {
        var targets = MetricsTargets.plan
        if let text = registrationShare {
            targets.registrationShare = try ratio(text, field: "target-registration-share")
        }
        if let text = participationRate {
            targets.participationRate = try ratio(text, field: "target-participation-rate")
        }
        if let text = hoursPerVolunteer {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let value = ExactDecimal.parse(trimmed), value <= 8784 else {
                throw RuleViolation(field: "target-hours", value: trimmed, code: "target_hours")
            }
            targets.hoursPerVolunteer = MetricsTarget(value: value, text: trimmed)
        }
        return targets
    }

    static func ratio(_ text: String, field: String) throws -> MetricsTarget {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = ExactDecimal.parse(trimmed), value > 0, value <= 1 else {
            throw RuleViolation(field: field, value: trimmed, code: "ratio")
        }
        return MetricsTarget(value: value, text: trimmed)
    }
}

/// What to compute: year Y, reference date D, optionally the moment the records are read as of.
public struct MetricsRequest: Sendable, Equatable {
    public var year: Int
    public var asOf: CalendarDate
    public var asRecordedAt: TimeInput?
    public var scope: MetricsScope
    public var targets: MetricsTargets
    /// Sum the ledger's entries even where the rollup would serve (slower; for verification).
    public var fromLedger = false
    /// The support-rate survey's target (issue 16 §4, default 90 %).
    public var supportTarget: MetricsTarget = SupportRateReport.planTarget
    /// A window other than the calendar year (the evidence pack's 12 months before a visit).
    public var window: MetricsWindow?

    /// Years the population table accepts; Y+1 must exist for the window's end.
    public static let years = 1949...9998

    /// Validates the year and the reference date: D defaults to Y-12-31 and may be any day from
    /// Y-01-01 on (a day after the year gives the year's figures with registrations as they stood on D).
    public init(year: Int, asOf: String? = nil, asRecordedAt: String? = nil, scope: MetricsScope = .builtUp,
                targets: MetricsTargets = .plan) throws {
        guard Self.years.contains(year) else {
            throw RuleViolation(field: "year", value: String(year), code: "year_range", args: ["min": "\(Self.years.lowerBound)", "max": "\(Self.years.upperBound)"])
        }
        self.year = year
        let yearStart = CalendarDate(year: year, month: 1, day: 1)!
        if let asOf {
            let date = try DateInput.parse(asOf, field: "as-of")
            guard date >= yearStart else {
                throw RuleViolation(field: "as-of", value: asOf, code: "as_of_in_year", args: ["year_start": "\(yearStart)"])
            }
            self.asOf = date
        } else {
            self.asOf = CalendarDate(year: year, month: 12, day: 31)!
        }
        self.asRecordedAt = try asRecordedAt.map { try TimeInput.parse($0, field: "as-recorded-at") }
        self.scope = scope
        self.targets = targets
    }

    /// The same request as of another reference date (monthly progress).
    func asOf(_ date: CalendarDate) -> MetricsRequest {
        var copy = self
        copy.asOf = date
        return copy
    }
}
