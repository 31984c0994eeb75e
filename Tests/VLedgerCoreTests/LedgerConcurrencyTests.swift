import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

struct LedgerConcurrencyTests {
    /// Four recorders on their own connections hammer the same three volunteers with colliding
    /// slots and shared request ids: every entry reported recorded is in the ledger exactly
    /// once, no two intervals of a volunteer overlap, and no error other than a rule escapes.
    @Test func concurrentRecordersNeverDoubleCountOrOverlap() async throws {
        try await TestDatabase.with { database in
            let setup = try await database.connect()
            var numbers: [String] = []
            for _ in 0..<3 { numbers.append(try await LedgerFixtures.volunteer(setup).number) }
            let a = try await LedgerFixtures.activity(setup, starts: "2019-03-01 08:00+08", ends: "2019-03-01 20:00+08")
            let volunteers = numbers
            let outcomes = try await withThrowingTaskGroup(of: ([Int64], Int, [String]).self) { group in
                for recorder in 0..<4 {
                    group.addTask {
                        let db = try await database.connect()
                        var ids: [Int64] = []
                        var refused = 0
                        var unexpected: [String] = []
                        for i in 0..<30 {
                            let shared = i % 3 == 0
                            let slot = shared ? i : Int.random(in: 0..<46)
                            let volunteer = volunteers[shared ? 0 : Int.random(in: 0..<3)]
                            let start = try TimeInput.parse("2019-03-01T08:00:00+08:00", field: "start")
                            let minutes = 30
                            let requestID = shared ? "shared-\(i)" : "r\(recorder)-\(i)"
                            do {
                                let recorded = try await LedgerRetry.transaction(db) { tx in
                                    let base = try start.resolve(timeZone: "Asia/Shanghai", on: tx)
                                    let startAt = TimeInput.instant(base.addingTimeInterval(Double(slot * 15 * 60)))
                                    return try HoursService.record(activity: a, volunteer: volunteer, minutes: minutes, start: startAt,
                                                                   requestID: requestID, on: tx)
                                }
                                ids.append(recorded.id)
                            } catch let error as PostgresError where error.sqlState == .checkViolation {
                                refused += 1
                            } catch {
                                unexpected.append(UserMessage.line(for: error))
                            }
                        }
                        return (ids, refused, unexpected)
                    }
                }
                var all: [([Int64], Int, [String])] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            let reported = Set(outcomes.flatMap(\.0))
            #expect(reported.count >= 10)
            #expect(outcomes.flatMap(\.2).isEmpty, "\(outcomes.flatMap(\.2))")
            #expect(try await LedgerFixtures.count(setup, "hours_entry") == reported.count)
            let overlaps: Int = try await setup.query("""
                SELECT count(*) FROM hours_entry x JOIN hours_entry y
                  ON x.volunteer_id = y.volunteer_id AND x.id < y.id
                 AND x.service_start < y.service_start + y.minutes * interval '1 minute'
                 AND y.service_start < x.service_start + x.minutes * interval '1 minute'
                """).single().decode(0)
            #expect(overlaps == 0)
            let shared: Int = try await setup.query("SELECT count(*) FROM hours_entry WHERE request_id LIKE 'shared-%'").single().decode(0)
            #expect(shared <= 10)
            #expect(shared >= 1)
        }
    }
}
