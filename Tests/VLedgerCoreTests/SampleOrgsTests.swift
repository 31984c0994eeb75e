import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 15 in the sample city: organisations and teams (professional ones too), a category on
/// every activity, memberships, party members, training and projects, the same from the same seed.
struct SampleOrgsTests {
    static func census(_ db: Connection) async throws -> [Int64] {
        let row = try await db.query("""
            SELECT (SELECT count(*) FROM organisation), (SELECT count(*) FROM organisation WHERE kind = 'professional'),
                   (SELECT count(*) FROM organisation_membership), (SELECT count(*) FROM organisation_leave),
                   (SELECT count(*) FROM volunteer_party_status), (SELECT count(*) FROM training_course),
                   (SELECT count(*) FROM training_attendance), (SELECT count(*) FROM training_attendance WHERE certificate_number IS NOT NULL),
                   (SELECT count(*) FROM community_project), (SELECT count(*) FROM activity WHERE project_id IS NOT NULL),
                   (SELECT count(*) FROM activity WHERE organisation_id IS NOT NULL),
                   (SELECT count(DISTINCT category_code) FROM activity),
                   (SELECT count(*) FROM organisation WHERE kind = 'registered' AND vl_credit_code_valid(credit_code))
            """).single()
        return try (0..<13).map { try row.decode($0, as: Int64.self) }
    }

    @Test func theSampleCityHasItsOrganisationsDeterministically() async throws {
        let options = try SampleOptions(volunteers: 300, entries: 3000, seed: 7, years: 2, districts: 5, lastYear: 2024)
        var censuses: [[Int64]] = []
        for _ in 0..<2 {
            censuses.append(try await TestDatabase.with { database in
                let db = try await database.connect()
                _ = try await SampleLoader.load(options, on: db, quiet: true)
                let census = try await Self.census(db)
                await db.close()
                return census
            })
        }
        #expect(censuses[0] == censuses[1])
        let c = censuses[0]
        #expect(c[0] == 1 + 5 + 5 && c[1] == 5, "the association, a team per district, five professional teams")
        #expect(c[2] > 0 && c[4] > 0 && c[5] == 2 * 5 && c[6] > 0 && c[7] > 0 && c[8] == 5 && c[9] > 0 && c[10] > 0, "\(c)")
        #expect(c[11] >= 8, "activities spread over the categories")
        #expect(c[12] == 1)
    }
}
