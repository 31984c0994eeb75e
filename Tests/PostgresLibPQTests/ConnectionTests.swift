import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

struct ConnectionTests {
    @Test func parametersWithNullsAndChineseTextRoundTrip() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let connection = try await database.connect()
            let name = "凤凰城街道 志愿者"
            let missing: String? = nil
            let row = try await connection.query("SELECT \(name)::text, \(missing)::text, length(\(name)::text)").single()
            #expect(try row.decode(0, as: String.self) == name)
            #expect(try row.decode(1, as: String?.self) == nil)
            #expect(try row.decode(2, as: Int.self) == name.count)
        }
    }
}
