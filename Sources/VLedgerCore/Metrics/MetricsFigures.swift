import Foundation

/// The counts behind one row (a district or the city), from which every printed figure follows.
public struct MetricsCounts: Sendable, Equatable {
    /// Permanent residents for the year; nil when no figure is recorded (for the city: when any
    /// district in scope lacks one, so the share is never computed over a partial population).
    public var population: Int64?
    public var registered: Int64
    public var active: Int64
    /// Net approved minutes of the registered volunteers in the window (signed sum, see MetricsQuery).
    public var approvedMinutes: Int64

    public init(population: Int64?, registered: Int64, active: Int64, approvedMinutes: Int64) {
        self.population = population
        self.registered = registered
        self.active = active
        self.approvedMinutes = approvedMinutes
    }
}

/// The three indicators of one row, compared with the targets exactly and rounded only for print.
///
/// Rounding: half up (away from zero) on the exact quotient, decided by integer comparison;
/// ratios to four decimals, hours to two. `meets` compares the exact figure before rounding:
/// R·1 ≥ t·P, A ≥ t·R, minutes ≥ 60·t·R, all in exact decimal arithmetic.
public struct MetricsFigures: Sendable, Equatable {
    public var counts: MetricsCounts
    public var registrationShare: String?
    public var participationRate: String?
    public var hoursPerVolunteer: String?
    public var meetsRegistrationShare: Bool?
    public var meetsParticipationRate: Bool?
    public var meetsHoursPerVolunteer: Bool?
    /// nil when the population is unknown.
    public var registrationsNeeded: Int64?
    public var participantsNeeded: Int64
    /// Hours with two decimals.
    public var hoursNeeded: String

    public init(_ counts: MetricsCounts, targets: MetricsTargets) {
        self.counts = counts
        let r = Decimal(counts.registered)
        let a = Decimal(counts.active)
        let minutes = Decimal(counts.approvedMinutes)
        let shareTarget = targets.registrationShare.value
        let rateTarget = targets.participationRate.value
        let hoursTarget = targets.hoursPerVolunteer.value

        if let population = counts.population {
            let p = Decimal(population)
            if population > 0 {
                registrationShare = ExactDecimal.quotient(r, p, places: 4)
                meetsRegistrationShare = r >= shareTarget * p
            }
            registrationsNeeded = max(0, ExactDecimal.int64(ExactDecimal.ceiling(shareTarget * p)) - counts.registered)
        }
        if counts.registered > 0 {
            participationRate = ExactDecimal.quotient(a, r, places: 4)
            meetsParticipationRate = a >= rateTarget * r
            hoursPerVolunteer = ExactDecimal.quotient(minutes, r * 60, places: 2)
            meetsHoursPerVolunteer = minutes >= hoursTarget * 60 * r
        }
        participantsNeeded = max(0, ExactDecimal.int64(ExactDecimal.ceiling(rateTarget * r)) - counts.active)
        let missingMinutes = hoursTarget * 60 * r - minutes
        hoursNeeded = missingMinutes > 0 ? ExactDecimal.quotient(missingMinutes, 60, places: 2) : "0.00"
    }

    /// Targets missed (unknown figures count as half a miss, so they sort among the weak rows).
    var shortfallRank: Int {
        [meetsRegistrationShare, meetsParticipationRate, meetsHoursPerVolunteer].reduce(0) { total, meets in
            switch meets {
            case .some(true): return total
            case .some(false): return total + 2
            case .none: return total + 1
            }
        }
    }
}

/// One district's row.
public struct DistrictMetrics: Sendable, Equatable {
    public var code: String
    public var name: String
    public var builtUp: Bool
    public var figures: MetricsFigures
    /// Its approved minutes by provenance (issue 16; they sum to figures.counts.approvedMinutes).
    public var provenance: ProvenanceMinutes? = nil
}

/// Which part of the city a report covers: all of it, or only what the login may read.
public enum MetricsCoverage: Sendable, Equatable {
    /// The login reads every volunteer, district row and entry (vl_read_scope, 0061).
    case complete
    /// Row-level security shows the login only the volunteers of these districts (community staff:
    /// their own district, as it stands today). The report then holds only these districts and no
    /// city row.
    case partial(districts: [String])
}

/// Something a reader of the figures must know, with a stable code for machines (`warnings` in
/// the JSON) and a sentence for people (standard error).
public struct MetricsWarning: Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A district's registered volunteers exceed its residents: its share is over 100 % and the
        /// population figure (or the register) is wrong; the city's share includes it when in scope.
        case registeredExceedsPopulation = "registered_exceeds_population"
        /// No population figure for the year: the district's share, and the city's, are not computed.
        case populationMissing = "population_missing"
        /// Registered volunteers without a district on D (only a replay can produce them).
        case volunteersWithoutDistrict = "volunteers_without_district"
        /// Registered volunteers of a district that is not in the records at T.
        case districtNotInRecords = "district_not_in_records"
        /// The login reads only part of the city: only those districts are reported, and no city row.
        case partialReport = "partial_report"
        /// A replay (`--as-recorded-at`) over rows an owner loaded with their original record times.
        case replayRestsOnLoadedRows = "replay_rests_on_loaded_rows"
        /// A replay of a moment before the city's time zone setting was changed.
        case timeZoneChangedAfterReplay = "time_zone_changed_after_replay"
        /// The year has not begun in the city: nothing can have been recorded for it.
        case futureYear = "future_year"
    }

    public var code: Code
    /// False for what a replay says about how it was regenerated (loaded rows, a later time-zone
    /// change): that goes to standard error only, so a replay's JSON stays the filed report's to
    /// the byte (with `as_recorded_at` added).
    public var belongsToTheFigures: Bool {
        code != .replayRestsOnLoadedRows && code != .timeZoneChangedAfterReplay && code != .futureYear
    }
    public var district: String?
    public var registered: Int64?
    public var population: Int64?
    /// The districts a partial report covers.
    public var districts: [String]?
    /// The English sentence (the JSON's `message`, kept as it was).
    public var message: String
    /// The values of the sentence, for the catalog's `ui.metrics.warning.CODE`.
    public var args: [String: String] = [:]

    /// The sentence for people in `language` (standard error).
    public func text(in language: Language = LanguageChoice.current) -> String {
        guard language != .en, Catalog.has("ui.metrics.warning.\(code.rawValue)", in: language) else { return message }
        return Catalog.text("ui.metrics.warning.\(code.rawValue)", args, in: language)
    }

    public init(code: Code, district: String? = nil, registered: Int64? = nil, population: Int64? = nil, districts: [String]? = nil, message: String,
                args: [String: String] = [:]) {
        self.args = args
        self.code = code
        self.district = district
        self.registered = registered
        self.population = population
        self.districts = districts
        self.message = message
    }

    public var description: String { message }
}

/// The whole result for one reference date.
public struct MetricsReport: Sendable, Equatable {
    public var request: MetricsRequest
    public var timeZone: String
    /// `--as-recorded-at` as an ISO 8601 time in the city's zone, when given.
    public var asRecordedAt: String?
    /// Sums over the districts in scope that the report holds. Only the city when `coverage` is
    /// `.complete`: read `cityRow` to print it.
    public var city: MetricsFigures
    public var districts: [DistrictMetrics]
    /// Things a reader should know (volunteers without a district on D, missing populations,
    /// more volunteers than residents, a partial report).
    public var warnings: [MetricsWarning]
    public var coverage: MetricsCoverage = .complete
    /// The head of the audit chain the report was computed at: now, or for a replay the last link
    /// recorded by `--as-recorded-at` (so a replay prints what the filed report printed). The last
    /// key of the JSON; nil for an empty trail.
    public var auditHead: AuditTrail.Head? = nil
    /// The city's approved minutes by provenance (issue 16), beside `city`.
    public var cityProvenance: ProvenanceMinutes? = nil
    /// The survey waves of the year (or window), nil when there are none (issue 16 §4).
    public var supportRate: SupportRateReport? = nil

    /// The city row, or nil when the login sees only part of the city (no row pretends to be it).
    public var cityRow: MetricsFigures? { coverage == .complete ? city : nil }

    public var isPartial: Bool { coverage != .complete }

    /// The districts a partial report covers (nil when complete).
    public var districtsCovered: [String]? {
        if case .partial(let codes) = coverage { return codes }
        return nil
    }
}
