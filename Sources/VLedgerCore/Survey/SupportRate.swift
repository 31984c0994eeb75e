import Foundation
import PostgresLibPQ

/// The pooled answers of a row (a district or the city) and what follows from them.
public struct SupportRateFigures: Sendable, Equatable {
    public var waves: Int64
    public var sample: Int64
    public var supportive: Int64
    /// supportive / sample, four decimals, half up (nil without answers).
    public var share: String?
    public var interval: WilsonInterval?
    public var sampleNeeded: Int64
    /// supportive ≥ target · sample, exactly (nil without answers).
    public var meets: Bool?
    /// The interval's lower bound is below the target: the share may meet it by chance.
    public var lowerBoundBelowTarget: Bool?

    public init(waves: Int64, sample: Int64, supportive: Int64, target: MetricsTarget) {
        self.waves = waves
        self.sample = sample
        self.supportive = supportive
        sampleNeeded = WilsonInterval.sampleNeeded(supportive: supportive, sample: sample)
        guard sample > 0 else { return }
        share = ExactDecimal.quotient(Decimal(supportive), Decimal(sample), places: 4)
        meets = Decimal(supportive) >= target.value * Decimal(sample)
        let interval = WilsonInterval(supportive: supportive, sample: sample)
        self.interval = interval
        lowerBoundBelowTarget = Decimal(interval.lower) < target.value
    }
}

public struct DistrictSupportRate: Sendable, Equatable {
    public var code: String
    public var name: String
    public var builtUp: Bool
    public var figures: SupportRateFigures
}

/// The fourth indicator (市民对志愿服务活动认同和支持率): the survey waves held from `from` to
/// `to` (the year, or an evidence window), pooled per district and over the districts in scope.
public struct SupportRateReport: Sendable, Equatable {
    public var from: CalendarDate
    public var to: CalendarDate
    public var target: MetricsTarget
    public var scope: MetricsScope
    /// nil when the login reads part of the city only, or no district in scope has a wave.
    public var city: SupportRateFigures?
    /// Districts with at least one wave, by code.
    public var districts: [DistrictSupportRate]

    public static let planTarget = MetricsTarget(value: Decimal(string: "0.90")!, text: "0.90")

    public static func target(_ text: String?) throws -> MetricsTarget {
        try text.map { try MetricsTargets.ratio($0, field: "target-support-rate") } ?? planTarget
    }

    /// The waves held from `from` to `to` (days, inclusive) as recorded at `moment`, less those withdrawn by then; built-up on
    /// `asOf` as recorded at `moment` (as the metrics read it). nil when there is none.
    static func compute(from: CalendarDate, to: CalendarDate, asOf: CalendarDate, year: Int, recordedAt moment: Date?,
                        scope: MetricsScope, target: MetricsTarget, coverage: MetricsCoverage,
                        on db: isolated Connection) throws -> SupportRateReport? {
        let rows = try db.query("""
            SELECT district_code, count(*), sum(sample_size)::bigint, sum(supportive)::bigint
              FROM survey_wave w
             WHERE surveyed_on BETWEEN \(from) AND \(to)\(MetricsQuery.recordedBy("recorded_at", moment))
               AND NOT EXISTS (SELECT 1 FROM survey_wave_withdrawal x WHERE x.wave_id = w.id\(MetricsQuery.recordedBy("x.recorded_at", moment)))
             GROUP BY district_code ORDER BY district_code
            """)
        guard !rows.isEmpty else { return nil }
        var pooled: [String: (waves: Int64, sample: Int64, supportive: Int64)] = [:]
        for row in rows { pooled[try row.decode(0)] = (try row.decode(1), try row.decode(2), try row.decode(3)) }
        var covered: Set<String>? = nil
        if case .partial(let codes) = coverage { covered = Set(codes) }
        var districts: [DistrictSupportRate] = []
        var city = (waves: Int64(0), sample: Int64(0), supportive: Int64(0))
        for district in try MetricsQuery.districts(year: year, asOf: asOf, recordedAt: moment, on: db) {
            guard let answers = pooled[district.code], covered?.contains(district.code) ?? true else { continue }
            districts.append(DistrictSupportRate(
                code: district.code, name: district.name, builtUp: district.builtUp,
                figures: SupportRateFigures(waves: answers.waves, sample: answers.sample, supportive: answers.supportive, target: target)))
            if scope == .all || district.builtUp {
                city = (city.waves + answers.waves, city.sample + answers.sample, city.supportive + answers.supportive)
            }
        }
        let cityFigures = covered == nil && city.sample > 0
            ? SupportRateFigures(waves: city.waves, sample: city.sample, supportive: city.supportive, target: target) : nil
        return SupportRateReport(from: from, to: to, target: target, scope: scope, city: cityFigures, districts: districts)
    }

    /// `survey report`: the year's waves alone, in one snapshot.
    public static func run(year: Int, asRecordedAt: String?, scope: MetricsScope, target: MetricsTarget,
                           in session: LedgerSession) async throws -> SupportRateReport? {
        let request = try MetricsRequest(year: year, asRecordedAt: asRecordedAt, scope: scope)
        return try await session.snapshot { db in
            let timeZone = try db.query("SELECT vl_time_zone()").single().decode(0, as: String.self)
            let moment = try request.asRecordedAt?.resolve(timeZone: timeZone, on: db)
            return try compute(from: CalendarDate(year: year, month: 1, day: 1)!, to: request.asOf, asOf: request.asOf, year: year,
                               recordedAt: moment, scope: scope, target: target, coverage: try MetricsService.readScope(on: db), on: db)
        }
    }
}

extension MetricsService {
    /// The fourth indicator over the request's days: the year up to D, or the window.
    static func supportRate(_ request: MetricsRequest, recordedAt moment: Date?, coverage: MetricsCoverage,
                            on db: isolated Connection) throws -> SupportRateReport? {
        let from = request.window?.from ?? CalendarDate(year: request.year, month: 1, day: 1)!
        let to = request.window?.through ?? min(request.asOf, CalendarDate(year: request.year, month: 12, day: 31)!)
        return try SupportRateReport.compute(from: from, to: to, asOf: request.asOf, year: request.year, recordedAt: moment,
                                             scope: request.scope, target: request.supportTarget, coverage: coverage, on: db)
    }
}
