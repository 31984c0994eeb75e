import Foundation
import PostgresLibPQ

/// Computes the annual metrics. Call inside one read-only REPEATABLE READ transaction
/// (`MetricsService.run`) so every figure comes from the same snapshot.
public enum MetricsService {
    /// The figures for the request, in one consistent snapshot.
    public static func run(_ request: MetricsRequest, on connection: Connection) async throws -> MetricsReport {
        try await run(request, in: LedgerSession(connection))
    }

    /// Cumulative figures at the end of each month of the year (up to the month of --as-of, whose
    /// last point is --as-of itself when it falls before the month's end), in one snapshot.
    public static func runByMonth(_ request: MetricsRequest, on connection: Connection) async throws -> [MetricsReport] {
        try await runByMonth(request, in: LedgerSession(connection))
    }

    /// The month-ends of `monthEnds(of:)`, their volunteers' figures from MetricsMonthly's one
    /// statement where it serves (a mid-month last point, a replay `--as-recorded-at`,
    /// `--from-ledger` or a window: one full compute per month, as before; a replay's rollup less
    /// the later records differs per month, so it keeps its exact per-month path).
    static func computeMonths(_ request: MetricsRequest, on db: isolated Connection) throws -> [MetricsReport] {
        let ends = monthEnds(of: request)
        guard MetricsMonthly.serves(request, coverage: try readScope(on: db)), let last = ends.last else {
            return try ends.map { try compute(request.asOf($0), volunteers: nil, on: db) }
        }
        let wholeMonths = last.day == CalendarDate.daysIn(month: last.month, year: last.year) ? ends.count : ends.count - 1
        let figures = wholeMonths > 0 ? try MetricsMonthly.volunteers(year: request.year, months: 1...wholeMonths, on: db) : [:]
        return try ends.enumerated().map { index, end in try compute(request.asOf(end), volunteers: figures[index + 1], on: db) }
    }

    /// The year's report and its month-ends in one snapshot (the dashboard): the last month-end
    /// is the year's report itself when D is within the year.
    static func computeYearAndMonths(_ request: MetricsRequest, on db: isolated Connection) throws -> (MetricsReport, [MetricsReport]) {
        let months = try computeMonths(request, on: db)
        if let last = months.last, last.request == request { return (last, months) }
        return (try compute(request, on: db), months)
    }

    /// One big aggregate: JIT compilation costs more than it saves, and the hash tables should
    /// stay in memory rather than spill to disk.
    static func tune(_ db: isolated Connection) throws {
        try db.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)")
    }

    /// Reference dates of the monthly progress.
    public static func monthEnds(of request: MetricsRequest) -> [CalendarDate] {
        let last = min(request.asOf, CalendarDate(year: request.year, month: 12, day: 31)!)
        return (1...last.month).map { month in
            let end = CalendarDate(year: request.year, month: month, day: CalendarDate.daysIn(month: month, year: request.year))!
            return month == last.month ? last : end
        }
    }

    /// A month-end's figures (the year report of a past year among them) come from the rows 0262
    /// keeps, as the dashboard's do: one aggregate over them instead of two over the rollups.
    public static func compute(_ request: MetricsRequest, on db: isolated Connection) throws -> MetricsReport {
        guard MetricsMonthly.serves(request, coverage: try readScope(on: db)), let month = MetricsMonthly.monthEnd(of: request) else {
            return try compute(request, volunteers: nil, on: db)
        }
        return try compute(request, volunteers: MetricsMonthly.volunteers(year: request.year, months: month...month, on: db)[month], on: db)
    }

    /// `volunteers`: the figures of MetricsQuery.volunteerCounts and MetricsProvenance.byDistrict
    /// for this request, already read (MetricsMonthly); nil reads them.
    static func compute(_ request: MetricsRequest, volunteers: MetricsMonthly.Volunteers?, on db: isolated Connection) throws -> MetricsReport {
        let timeZone = try db.query("SELECT vl_time_zone()").single().decode(0, as: String.self)
        let moment = try request.asRecordedAt?.resolve(timeZone: timeZone, on: db)
        let coverage = try readScope(on: db)
        let window = try request.window.map { try MetricsQuery.window($0, timeZone: timeZone, on: db) }
            ?? MetricsQuery.window(year: request.year, asOf: request.asOf, timeZone: timeZone, on: db)
        var districts = try MetricsQuery.districts(year: request.year, asOf: request.asOf, recordedAt: moment, on: db)
        let counts = try volunteers?.counts ?? MetricsQuery.volunteerCounts(
            year: request.year, asOf: request.asOf, window: window, recordedAt: moment, fromLedger: request.fromLedger || request.window != nil, on: db)
        let provenance = try volunteers?.provenance ?? MetricsProvenance.byDistrict(
            year: request.year, asOf: request.asOf, window: window, recordedAt: moment, fromLedger: request.fromLedger || request.window != nil, on: db)

        var warnings: [MetricsWarning] = []
        let today = try Settings.today(timeZone: timeZone, on: db)
        if request.year > today.year {
            warnings.append(MetricsWarning(
                code: .futureYear,
                message: "\(request.year) is in the future (today is \(today) in the city): nothing can have been recorded for it yet",
                args: ["year": String(request.year), "today": today.description]))
        }
        if case .partial(let covered) = coverage {
            // Only what the login may read: the other districts would show 0 registered, and a city
            // row over them would not be the city.
            let keep = Set(covered)
            districts = districts.filter { keep.contains($0.code) }
            let list = covered.isEmpty ? "no district" : "district(s) \(covered.joined(separator: ", "))"
            warnings.append(MetricsWarning(
                code: .partialReport, districts: covered,
                message: "partial report: this login reads only the volunteers of \(list) (as they stand today), "
                    + "so only \(covered.isEmpty ? "no district is" : "those are") reported and there is no city row; the city's figures need a login of the office",
                args: ["districts": covered.isEmpty ? tr("ui.metrics.none") : covered.joined(separator: ", ")]))
        }
        if let moment, let loaded = try MetricsQuery.loadedRows(before: moment, on: db) {
            // The database did not record these rows at their record times: the replay is only as
            // good as the load (issue 11).
            warnings.append(MetricsWarning(
                code: .replayRestsOnLoadedRows,
                message: "this replay rests on \(loaded.rows) row(s) loaded by \(loaded.logins) with their original record times (\(loaded.loads) load(s) in historic_load), not recorded by the database at those times",
                args: ["rows": String(loaded.rows), "logins": "\(loaded.logins)", "loads": String(loaded.loads)]))
        }
        if let moment, let changed = try MetricsQuery.timeZoneChanged(after: moment, on: db) {
            warnings.append(MetricsWarning(
                code: .timeZoneChangedAfterReplay,
                message: "the city's time zone setting was changed after this moment (first at \(try formatMoment(changed, timeZone: timeZone, on: db))): the replay reads the year in today's zone \(timeZone)",
                args: ["at": try formatMoment(changed, timeZone: timeZone, on: db), "zone": timeZone]))
        }
        var byCode: [String: (registered: Int64, active: Int64, minutes: Int64)] = [:]
        for row in counts {
            guard let code = row.code else {
                if coverage == .complete {
                    warnings.append(MetricsWarning(
                        code: .volunteersWithoutDistrict, registered: row.registered,
                        message: "\(row.registered) registered volunteer(s) have no district on \(request.asOf) in the records and are not counted",
                        args: ["registered": String(row.registered), "as_of": request.asOf.description]))
                }
                continue
            }
            byCode[code] = (row.registered, row.active, row.minutes)
        }
        if coverage == .complete {
            let known = Set(districts.map(\.code))
            for (code, row) in byCode.sorted(by: { $0.key < $1.key }) where !known.contains(code) {
                warnings.append(MetricsWarning(
                    code: .districtNotInRecords, district: code, registered: row.registered,
                    message: "\(row.registered) registered volunteer(s) belong to district \(code), which is not in the records, and are not counted",
                    args: ["registered": String(row.registered), "district": code]))
            }
        }

        var rows: [DistrictMetrics] = []
        var cityCounts = MetricsCounts(population: 0, registered: 0, active: 0, approvedMinutes: 0)
        var cityProvenance = ProvenanceMinutes.zero
        var missingPopulation: [String] = []
        for district in districts {
            let volunteers = byCode[district.code] ?? (0, 0, 0)
            let districtCounts = MetricsCounts(
                population: district.population, registered: volunteers.registered,
                active: volunteers.active, approvedMinutes: volunteers.minutes)
            rows.append(DistrictMetrics(
                code: district.code, name: district.name, builtUp: district.builtUp,
                figures: MetricsFigures(districtCounts, targets: request.targets), provenance: provenance[district.code] ?? .zero))
            let inCity = request.scope == .all || district.builtUp
            if let population = district.population, volunteers.registered > population {
                // More volunteers than people: the figure (or the register) is wrong, and a share over
                // 100 % would lift the city's. Never a met share without saying so.
                warnings.append(MetricsWarning(
                    code: .registeredExceedsPopulation, district: district.code, registered: volunteers.registered, population: population,
                    message: "district \(district.code) \(district.name): \(volunteers.registered) registered volunteers exceed its \(population) residents for \(request.year); "
                        + "check its population figure" + (inCity && coverage == .complete ? " (the city's registration share includes it)" : ""),
                    args: ["district": district.code, "name": district.name, "registered": String(volunteers.registered),
                           "population": String(population), "year": String(request.year)]))
            }
            guard inCity else { continue }
            if let population = district.population {
                cityCounts.population = cityCounts.population.map { $0 + population }
            } else {
                missingPopulation.append(district.code)
            }
            cityCounts.registered += volunteers.registered
            cityCounts.active += volunteers.active
            cityCounts.approvedMinutes += volunteers.minutes
            cityProvenance = cityProvenance + (provenance[district.code] ?? .zero)
        }
        if !missingPopulation.isEmpty {
            // A share over part of the population would overstate the city: report none.
            cityCounts.population = nil
            for code in missingPopulation {
                warnings.append(MetricsWarning(
                    code: .populationMissing, district: code,
                    message: "no population for \(request.year) recorded for district \(code): its registration share"
                        + (coverage == .complete ? " and the city's are" : " is") + " not computed",
                    args: ["year": String(request.year), "district": code]))
            }
        }

        let recordedText = try moment.map { try formatMoment($0, timeZone: timeZone, on: db) }
        return MetricsReport(
            request: request, timeZone: timeZone, asRecordedAt: recordedText,
            city: MetricsFigures(cityCounts, targets: request.targets), districts: rows, warnings: warnings, coverage: coverage,
            auditHead: try AuditTrail.head(at: moment, on: db), cityProvenance: cityProvenance,
            supportRate: try supportRate(request, recordedAt: moment, coverage: coverage, on: db))
    }

    /// What the login may read, decided by the database from its policies (vl_read_scope, 0061),
    /// in the report's snapshot.
    static func readScope(on db: isolated Connection) throws -> MetricsCoverage {
        // District codes are digits only: a comma separates them safely.
        let row = try db.query("SELECT complete, array_to_string(districts, ',') FROM vl_read_scope()").single()
        if try row.decode(0, as: Bool.self) { return .complete }
        let codes = try row.decode(1, as: String?.self) ?? ""
        return .partial(districts: codes.split(separator: ",").map(String.init))
    }

    /// `2020-03-01T12:00:00+08:00` (fractions of a second kept when present).
    static func formatMoment(_ moment: Date, timeZone: String, on db: isolated Connection) throws -> String {
        let row = try db.query("""
            SELECT to_char(\(moment)::timestamptz AT TIME ZONE \(timeZone), 'YYYY-MM-DD"T"HH24:MI:SS'),
                   to_char(\(moment)::timestamptz AT TIME ZONE \(timeZone), 'US'),
                   extract(epoch FROM (\(moment)::timestamptz AT TIME ZONE \(timeZone)) - (\(moment)::timestamptz AT TIME ZONE 'UTC'))::int
            """).single()
        let base: String = try row.decode(0)
        let micros: String = try row.decode(1)
        let offset: Int = try row.decode(2)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600
        let minutes = abs(offset) % 3600 / 60
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return base + (micros == "000000" ? "" : "." + micros) + sign + two(hours) + ":" + two(minutes)
    }
}
