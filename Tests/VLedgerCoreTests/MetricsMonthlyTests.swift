import Foundation
import PostgresLibPQ
import Testing
@testable import VLedgerCore
import VLedgerTestSupport

/// The month-ends of `--by month` and the dashboard read in one statement (MetricsMonthly) must
/// be exactly the per-month computes, whatever happened in the year.
struct MetricsMonthlyTests {
    @Test(arguments: [UInt64(5), UInt64.random(in: 1...UInt64.max)])
    func oneStatementEqualsTheComputeOfEachMonthEnd(seed: UInt64) async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let options = try SampleOptions(volunteers: 300, entries: 5000, seed: seed, years: 2, districts: 6, lastYear: 2024)
            _ = try await SampleLoader.load(options, on: db, quiet: true)
            try await Self.addTheYearsEvents(db)

            let requests: [MetricsRequest] = try [
                MetricsRequest(year: 2024), MetricsRequest(year: 2023), MetricsRequest(year: 2024, scope: .all),
                MetricsRequest(year: 2024, asOf: "2024-06-30"), MetricsRequest(year: 2024, asOf: "2024-11-17"),
                MetricsRequest(year: 2024, asOf: "2024-01-10"), MetricsRequest(year: 2024, asOf: "2025-01-10"),
                MetricsRequest(year: 2023, asOf: "2024-03-31"),
                MetricsRequest(year: 2024, asRecordedAt: "2024-12-31 23:59"), MetricsRequest(year: 2024, asRecordedAt: "2025-06-01 00:00"),
                MetricsRequest(year: 2024, asOf: "2024-08-31", asRecordedAt: "2024-09-15 12:00"),
            ]
            for request in requests {
                let label = "seed \(seed), \(request.year) as of \(request.asOf) as recorded at \(request.asRecordedAt.map { "\($0)" } ?? "now")"
                #expect(MetricsMonthly.serves(request, coverage: .complete) == (request.asRecordedAt == nil), "\(label)")
                #expect(!MetricsMonthly.serves(request, coverage: .partial(districts: ["210682001"])), "a district's staff keep the per-month computes")
                let fast = try await MetricsService.runByMonth(request, on: db)
                // The reference: each month-end summed from the rollups (compute without the rows of 0262).
                func fromRollups(_ request: MetricsRequest) async throws -> MetricsReport {
                    try await db.withIsolated { tx in try MetricsService.compute(request, volunteers: nil, on: tx) }
                }
                var slow: [MetricsReport] = []
                for end in MetricsService.monthEnds(of: request) {
                    slow.append(try await fromRollups(request.asOf(end)))
                }
                #expect(fast.count == slow.count, "\(label)")
                for (one, other) in zip(fast, slow) {
                    #expect(one.districts == other.districts && one.city == other.city && one.warnings == other.warnings,
                            "\(label), month-end \(one.request.asOf)")
                }
                #expect(MetricsReport.json(months: fast).rendered() == MetricsReport.json(months: slow).rendered(), "\(label)")

                let (year, months) = try await MetricsService.runYearAndMonths(request, in: LedgerSession(db))
                #expect(MetricsReport.json(months: months).rendered() == MetricsReport.json(months: fast).rendered(), "\(label)")
                #expect(year.json.rendered() == (try await MetricsService.run(request, on: db)).json.rendered(), "\(label)")
                #expect(CLIRunner.withoutAuditHead(year.json.rendered()) == CLIRunner.withoutAuditHead(try await fromRollups(request).json.rendered()),
                        "the year report (from the rows of 0262 when D is a month's end) = summed from the rollups: \(label)")
            }
            // Someone must be active and hours counted, or the comparison proves little.
            let december = try #require(try await MetricsService.runByMonth(try MetricsRequest(year: 2024), on: db).last)
            #expect(december.city.counts.active > 0 && december.city.counts.approvedMinutes > 0)

            // What the triggers kept row by row is what a rebuild from scratch gives (0262).
            let kept = try await Self.monthendRows(db)
            #expect(kept.stretches > 0 && kept.monthends > 0)
            try await db.execute("SELECT vl_metrics_monthend_rebuild()")
            #expect(try await Self.monthendRows(db) == kept, "seed \(seed)")
        }
    }

    static func monthendRows(_ db: Connection) async throws -> MonthendRows {
        let row = try await db.query("""
            SELECT (SELECT count(*) FROM volunteer_stretch), (SELECT md5(string_agg(s::text, ';' ORDER BY volunteer_id, since)) FROM volunteer_stretch s),
                   (SELECT count(*) FROM metrics_volunteer_monthend),
                   (SELECT md5(string_agg(m::text, ';' ORDER BY volunteer_id, year, since)) FROM metrics_volunteer_monthend m)
            """).single()
        return MonthendRows(stretches: try row.decode(0), stretchHash: try row.decode(1), monthends: try row.decode(2), monthendHash: try row.decode(3))
    }

    struct MonthendRows: Equatable {
        var stretches: Int64
        var stretchHash: String
        var monthends: Int64
        var monthendHash: String
    }

    /// Moves (two in the year, one on a month's last day, one recorded later), deregistrations
    /// (on a month's last day, the day after one, in January), a registration mid-year and
    /// corrections approved in the year (one taking an entry to zero).
    static func addTheYearsEvents(_ db: Connection) async throws {
        let f = MetricsFixture(db)
        let codes: [String] = try await db.query("SELECT code FROM district ORDER BY code").map { try $0.decode(0) }
        let settled: [(Int64, String)] = try await db.query("""
            SELECT v.id, (SELECT district_code FROM volunteer_district d WHERE d.volunteer_id = v.id ORDER BY effective_from DESC LIMIT 1)
              FROM volunteer v
             WHERE v.registered_on < '2023-12-01'
               AND NOT EXISTS (SELECT 1 FROM volunteer_deregistration x WHERE x.volunteer_id = v.id)
               AND NOT EXISTS (SELECT 1 FROM volunteer_district d WHERE d.volunteer_id = v.id AND d.effective_from >= '2023-12-01')
               AND EXISTS (SELECT 1 FROM metrics_volunteer_month m WHERE m.volunteer_id = v.id AND m.year = 2024)
             ORDER BY v.id LIMIT 8
            """).map { (try $0.decode(0), try $0.decode(1)) }
        try #require(settled.count == 8 && codes.count >= 2)
        func other(_ code: String) -> String { code == codes[0] ? codes[1] : codes[0] }
        try await f.move(settled[0].0, to: other(settled[0].1), on: "2024-03-15")
        try await f.move(settled[0].0, to: settled[0].1, on: "2024-08-01")
        try await f.move(settled[1].0, to: other(settled[1].1), on: "2024-07-31")
        try await f.move(settled[2].0, to: other(settled[2].1), on: "2024-02-01", recordedAt: "2025-03-01 10:00+08")
        try await f.deregister(settled[3].0, on: "2024-05-31")
        try await f.deregister(settled[4].0, on: "2024-06-01")
        try await f.deregister(settled[5].0, on: "2024-01-15", recordedAt: "2025-01-05 10:00+08")
        let newcomer = try await f.volunteer(990_001, district: codes[0], registeredOn: "2024-04-30")
        let activity = try await f.activity(district: codes[0], starts: "2024-05-04 08:00+08", ends: "2024-05-04 12:00+08")
        try await f.approvedEntry(newcomer, activity: activity, start: "2024-05-04 08:00+08", minutes: 90)
        // Corrections of approved 2024 entries of two volunteers still registered.
        for (index, volunteer) in [settled[6].0, settled[7].0].enumerated() {
            let row = try await db.query("""
                SELECT e.id, e.minutes FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
                 WHERE e.volunteer_id = \(volunteer) AND e.corrects_id IS NULL
                   AND e.service_start >= '2024-01-01 00:00+08' AND e.service_start < '2025-01-01 00:00+08'
                   AND NOT EXISTS (SELECT 1 FROM hours_entry c WHERE c.corrects_id = e.id)
                 ORDER BY e.service_start LIMIT 1
                """).single()
            let entry: Int64 = try row.decode(0), minutes: Int = try row.decode(1)
            try await f.approve(try await f.correct(entry, delta: index == 0 ? -minutes : -1))
        }
    }
}
