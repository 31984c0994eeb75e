import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Reproducibility: `--as-recorded-at` replays, and the yearly rollup against the ledger itself.
struct MetricsReplayTests {
    @Test func laterRecordsDoNotChangeAReplayedReport() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district("210682001", "凤凰城街道")
            try await f.district("210682002", "凤山街道")
            try await f.population("210682001", year: 2019, residents: 100, recordedAt: "2019-01-10 10:00+08")
            try await f.population("210682002", year: 2019, residents: 50, recordedAt: "2019-01-10 10:00+08")
            let activity = try await f.activity(district: "210682001", starts: "2019-05-01 08:00+08", ends: "2019-05-01 12:00+08")
            let one = try await f.volunteer(1, district: "210682001", registeredOn: "2018-03-01")
            let two = try await f.volunteer(2, district: "210682001", registeredOn: "2018-03-01")
            let three = try await f.volunteer(3, district: "210682002", registeredOn: "2018-03-01")
            let served = try await f.approvedEntry(one, activity: activity, start: "2019-05-01 08:00+08", minutes: 240)
            let waiting = try await f.entry(two, activity: activity, start: "2019-05-01 08:00+08", minutes: 120)
            try await f.approvedEntry(three, activity: activity, start: "2019-05-01 09:00+08", minutes: 60)

            let filed = try await MetricsService.run(try MetricsRequest(year: 2019), on: db)
            #expect(filed.city.counts == MetricsCounts(population: 150, registered: 3, active: 2, approvedMinutes: 300))

            // Everything below is recorded after the report was filed, much of it backdated.
            try await f.move(one, to: "210682002", on: "2019-06-01", recordedAt: "2020-03-01 10:00+08")
            try await f.deregister(three, on: "2019-12-01", recordedAt: "2020-03-02 10:00+08")
            try await f.approve(try await f.correct(served, delta: -60, recordedAt: "2020-03-03 10:00+08"), at: "2020-03-03 11:00+08")
            try await f.population("210682001", year: 2019, residents: 120, recordedAt: "2020-03-04 10:00+08")
            try await f.volunteer(4, district: "210682001", registeredOn: "2019-05-01", recordedAt: "2020-03-05 10:00+08")
            try await f.approve(waiting, at: "2020-03-06 10:00+08")
            try await f.district("210682003", "草河街道", recordedAt: "2020-03-07 10:00+08")

            let now = try await MetricsService.run(try MetricsRequest(year: 2019), on: db)
            #expect(now.city.counts == MetricsCounts(population: nil, registered: 3, active: 2, approvedMinutes: 300))
            #expect(now.districts.count == 3)

            for moment in ["2020-02-01 12:00", "2020-02-01T04:00:00Z", "2020-03-01T09:59:59+08:00"] {
                let replay = try await MetricsService.run(try MetricsRequest(year: 2019, asRecordedAt: moment), on: db)
                #expect(replay.districts == filed.districts, "as recorded at \(moment)")
                #expect(replay.city == filed.city)
                guard case .object(var members) = replay.json else { Issue.record("not an object"); return }
                #expect(members.remove(at: 2).0 == "as_recorded_at")
                #expect(JSONValue.object(members).rendered() == filed.json.rendered())
            }
            let replay = try await MetricsService.run(try MetricsRequest(year: 2019, asRecordedAt: "2020-02-01 12:00"), on: db)
            #expect(replay.asRecordedAt == "2020-02-01T12:00:00+08:00")
            // Between the move and the deregistration: the move counts, nothing else yet.
            let between = try await MetricsService.run(try MetricsRequest(year: 2019, asRecordedAt: "2020-03-01 12:00"), on: db)
            #expect(between.districts.map { [$0.figures.counts.registered, $0.figures.counts.approvedMinutes] } == [[1, 0], [2, 300]])
        }
    }

    /// The rollup behind the default report must equal the ledger's own sums, on random data,
    /// after bulk loads, single decisions and a change of the city's time zone.
    @Test(arguments: [UInt64(42), UInt64.random(in: 1...UInt64.max)])
    func rollupEqualsTheLedgerOnRandomData(seed: UInt64) async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let options = try SampleOptions(volunteers: 300, entries: 5000, seed: seed, years: 2, districts: 6, lastYear: 2024)
            _ = try await SampleLoader.load(options, on: db, quiet: true)
            try await Self.expectRollupMatchesLedger(db, seed: seed)

            // Decide every pending entry one statement at a time (approve most, reject some).
            let pending = try await db.query("""
                SELECT e.id FROM hours_entry e LEFT JOIN hours_decision d ON d.entry_id = e.id
                 WHERE d.entry_id IS NULL AND e.corrects_id IS NULL ORDER BY e.id LIMIT 200
                """).map { try $0.decode(0, as: Int64.self) }
            #expect(!pending.isEmpty)
            for (index, id) in pending.enumerated() {
                let decision = index % 5 == 0 ? "rejected" : "approved"
                try await db.execute("""
                    INSERT INTO hours_decision (entry_id, decision, reason, decided_at)
                    VALUES (\(id), \(decision), \(decision == "rejected" ? "未实际到岗" : nil as String?), '2024-12-31 23:59+08')
                    """)
            }
            try await Self.expectRollupMatchesLedger(db, seed: seed)

            // A new city time zone moves the year boundaries: the rollup is rebuilt with it.
            try await db.execute("UPDATE setting SET value = 'UTC' WHERE name = 'time_zone'")
            try await Self.expectRollupMatchesLedger(db, seed: seed)
        }
    }

    static func expectRollupMatchesLedger(_ db: Connection, seed: UInt64) async throws {
        let drift = try await db.query("""
            WITH ledger AS (
                SELECT e.volunteer_id, extract(year FROM e.service_start AT TIME ZONE vl_time_zone())::int AS year, sum(e.minutes) AS minutes
                  FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
                 GROUP BY 1, 2)
            SELECT count(*) FROM ((SELECT * FROM ledger EXCEPT SELECT volunteer_id, year, minutes FROM metrics_volunteer_year)
                            UNION ALL (SELECT volunteer_id, year, minutes FROM metrics_volunteer_year EXCEPT SELECT * FROM ledger)) differences
            """).single().decode(0, as: Int64.self)
        #expect(drift == 0, "seed \(seed)")
        let monthDrift = try await db.query("""
            WITH ledger AS (
                SELECT e.volunteer_id, extract(year FROM e.service_start AT TIME ZONE vl_time_zone())::int AS year,
                       extract(month FROM e.service_start AT TIME ZONE vl_time_zone())::int AS month, sum(e.minutes) AS minutes
                  FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
                 GROUP BY 1, 2, 3)
            SELECT count(*) FROM ((SELECT * FROM ledger EXCEPT SELECT volunteer_id, year, month, minutes FROM metrics_volunteer_month)
                            UNION ALL (SELECT volunteer_id, year, month, minutes FROM metrics_volunteer_month EXCEPT SELECT * FROM ledger)) differences
            """).single().decode(0, as: Int64.self)
        #expect(monthDrift == 0, "seed \(seed)")
        // Month ends (monthly rollup) and a mid-month day (ledger) against the ledger.
        for asOf in ["2024-01-31", "2024-02-29", "2024-06-30", "2024-11-30", "2024-11-17"] {
            let fast = try await MetricsService.run(try MetricsRequest(year: 2024, asOf: asOf), on: db)
            var slow = try MetricsRequest(year: 2024, asOf: asOf)
            slow.fromLedger = true
            let ledger = try await MetricsService.run(slow, on: db)
            #expect(fast.districts == ledger.districts && fast.city == ledger.city, "seed \(seed), as of \(asOf)")
        }
        // Replays: the rollup less what came after T, against the ledger read as of T; T on the
        // very minute of the test's own decisions (decided at T counts as recorded by T) included.
        for moment in ["2023-03-01 00:00", "2023-12-31 23:59", "2024-06-15 09:30", "2024-12-31 23:58", "2024-12-31 23:59", "2025-02-01 00:00"] {
            for (year, asOf) in [(2024, nil), (2024, "2024-06-30"), (2023, nil), (2023, "2024-03-31")] as [(Int, String?)] {
                let fast = try await MetricsService.run(try MetricsRequest(year: year, asOf: asOf, asRecordedAt: moment), on: db)
                var slow = try MetricsRequest(year: year, asOf: asOf, asRecordedAt: moment)
                slow.fromLedger = true
                let ledger = try await MetricsService.run(slow, on: db)
                #expect(fast.districts == ledger.districts && fast.city == ledger.city,
                        "seed \(seed), year \(year) as of \(asOf ?? "year end") as recorded at \(moment)")
            }
        }
        for year in 2023...2024 {
            for scope in MetricsScope.allCases {
                let fast = try await MetricsService.run(try MetricsRequest(year: year, scope: scope), on: db)
                var slow = try MetricsRequest(year: year, scope: scope)
                slow.fromLedger = true
                let ledger = try await MetricsService.run(slow, on: db)
                let replay = try await MetricsService.run(try MetricsRequest(year: year, asRecordedAt: "2099-01-01 00:00", scope: scope), on: db)
                #expect(fast.districts == ledger.districts && fast.city == ledger.city, "seed \(seed), year \(year)")
                #expect(fast.districts == replay.districts && fast.city == replay.city, "seed \(seed), year \(year)")
                #expect(fast.city.counts.approvedMinutes > 0, "seed \(seed)")
            }
        }
    }
}
