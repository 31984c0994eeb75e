import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 16 §3 in the sample city: awards and evaluations, the same from the same seed, and every
/// recognition report has something to show.
struct SampleRecognitionTests {
    @Test func theSampleCityHasAwardsAndEvaluationsDeterministically() async throws {
        let options = try SampleOptions(volunteers: 400, entries: 4000, seed: 11, years: 2, districts: 4, lastYear: 2024)
        var censuses: [[Int64]] = []
        for _ in 0..<2 {
            censuses.append(try await TestDatabase.with { database in
                let db = try await database.connect()
                _ = try await SampleLoader.load(options, on: db, quiet: true)
                let row = try await db.query("""
                    SELECT (SELECT count(*) FROM volunteer_award), (SELECT count(*) FROM volunteer_evaluation),
                           (SELECT count(*) FROM volunteer_evaluation WHERE score IS NOT NULL),
                           (SELECT count(DISTINCT extract(year FROM awarded_on)) FROM volunteer_award),
                           (SELECT coalesce(sum(hashtext(volunteer_id::text || name || awarded_on::text)), 0) FROM volunteer_award)
                    """).single()
                let census = try (0..<5).map { try row.decode($0, as: Int64.self) }
                let reports = try await RecognitionReports.run(.communities, year: 2024, on: db)
                #expect(reports.rows.count >= 4, "every district")
                let stars = try await RecognitionReports.run(.stars, year: 2024, on: db)
                let organisations = try await RecognitionReports.run(.organisations, year: 2024, on: db)
                #expect(!organisations.rows.isEmpty)
                await db.close()
                return census + [Int64(stars.rows.count)]
            })
        }
        #expect(censuses[0] == censuses[1])
        let c = censuses[0]
        #expect(c[0] > 0 && c[1] > 0 && c[2] > 0 && c[2] < c[1] && c[3] == 2, "\(c)")
    }
}
