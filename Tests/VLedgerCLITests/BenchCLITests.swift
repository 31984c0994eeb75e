import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

/// The benchmarks run end to end (small sizes): throwaway databases made and dropped, figures on
/// stdout. One test, so that no other benchmark of this suite makes databases while it looks.
struct BenchCLITests {
    func run(_ arguments: [String], _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await CLIRunner.run(arguments, database: database)
        #expect(result.status == 0, "vledger \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    @Test func benchmarksRunAndCleanUp() async throws {
        try await TestDatabase.with { db in
            let admin = try await db.connect()
            // The server is shared: other benchmarks' databases may come and go meanwhile, so only
            // names these benchmarks make, and only ones that were not there before, count.
            func benchDatabases() async throws -> Set<String> {
                Set(try await admin.query("""
                    SELECT datname FROM pg_database WHERE datname ~ '^vledger_bench_(import|register|copy|record|recorders)_'
                    """).map { try $0.decode(0, as: String.self) })
            }
            let before = try await benchDatabases()
            let imported = try await run(["bench", "volunteer-import", "--volunteers", "300", "--rounds", "2"], db)
            #expect(imported.contains("volunteers: 300"))
            #expect(imported.contains("ratio vledger / psql: "))
            let registered = try await run(["bench", "register", "--runs", "3"], db)
            #expect(registered.contains("vledger volunteer register: median "))
            let hours = try await run(["bench", "hours-import", "--volunteers", "20", "--activities", "10", "--entries", "50",
                                       "--one-activity-entries", "40"], db)
            #expect(hours.contains("vledger hours import :"))
            #expect(hours.contains("plain COPY (psql)    :"))
            #expect(hours.contains("all on one activity    :"))
            let recorded = try await run(["bench", "hours-record", "--runs", "2", "--warmup", "1"], db)
            #expect(recorded.contains("2 runs after 1 warm-up"))
            #expect(recorded.contains("  median "))
            let recorders = try await run(["bench", "recorders", "--recorders", "2", "--seconds", "1", "--volunteers", "3"], db)
            #expect(recorders.contains("no lost entry         : ok"))
            let left = try await benchDatabases().subtracting(before)
            #expect(left.isEmpty, "left behind: \(left.sorted())")
            await admin.close()
        }
    }
}
