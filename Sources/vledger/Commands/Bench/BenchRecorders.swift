import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore

/// Concurrent recorders on the same few volunteers, with colliding slots, retried requests and
/// approvals mixed in. Then the ledger is checked: nothing lost, nothing counted twice, no
/// overlap, no deadlock escaped.
struct BenchRecorders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recorders",
        abstract: tr("help.bench_recorders.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp(tr("help.bench_recorders.recorders"))) var recorders = 4
    @Option(help: ArgumentHelp(tr("help.bench_recorders.seconds"))) var seconds = 60
    @Option(help: ArgumentHelp(tr("help.bench_recorders.volunteers"))) var volunteers = 20

    func validate() throws {
        guard recorders > 0, seconds > 0, volunteers > 0 else { throw ValidationError("values must be positive") }
    }

    struct Tally: Sendable {
        var recorded: [Int64] = []
        var retriesMatched = 0
        var retriesMismatched = 0
        var refused = 0
        var approved = 0
        var unexpected: [String] = []
    }

    final class RetryCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func add() { lock.lock(); value += 1; lock.unlock() }
        var count: Int { lock.lock(); defer { lock.unlock() }; return value }
    }

    func run() async throws {
        let (recorders, seconds, volunteerCount) = (self.recorders, self.seconds, self.volunteers)
        let days = 50
        let report = try await BenchDatabase.using(locator: database.locator, label: "recorders") { scratch in
            let setup = try await scratch.connect()
            // A day-long activity per day: 96 quarter-hour slots each, entries of 30 minutes.
            let base = LedgerBenchData.base(activities: days * 8)
            try await setup.withIsolated { db in
                try db.execute("INSERT INTO district (code, name) VALUES (\(LedgerBenchData.district), '凤凰城街道')")
                try db.copyIn("COPY volunteer (name, id_number, phone, registered_on) FROM STDIN") { writer in
                    for n in 0..<volunteerCount { try writer.write(["志愿者\(n)", LedgerBenchData.idNumber(n), "13800000000", "2000-01-01"]) }
                }
                try db.copyIn("COPY activity (title, district_code, organiser, starts_at, ends_at) FROM STDIN") { writer in
                    for d in 0..<days {
                        let start = base.addingTimeInterval(Double(d) * 86_400)
                        try writer.write(["全天\(d)", LedgerBenchData.district, "组织者", start.postgresText, start.addingTimeInterval(86_400).postgresText])
                    }
                }
            }
            let numbers: [String] = try await setup.query("SELECT number FROM volunteer ORDER BY id").map { try $0.decode(0) }
            let retries = RetryCounter()
            let deadline = Date().addingTimeInterval(Double(seconds))
            let started = Date()
            let tallies = try await withThrowingTaskGroup(of: Tally.self) { group in
                for recorder in 0..<recorders {
                    group.addTask {
                        let db = try await scratch.connect()
                        var tally = Tally()
                        var sent: [(key: String, day: Int, volunteer: String, slot: Int, id: Int64)] = []
                        var attempt = 0
                        while Date() < deadline {
                            attempt += 1
                            if attempt % 10 == 0, let previous = sent.randomElement() {
                                // The same request again, as a client whose answer was lost would send it.
                                let at = TimeInput.instant(base.addingTimeInterval(Double(previous.day) * 86_400 + Double(previous.slot) * 900))
                                do {
                                    let again = try await LedgerRetry.transaction(db, retried: retries.add) { tx in
                                        try HoursService.record(activity: Int64(previous.day + 1), volunteer: previous.volunteer, minutes: 30,
                                                                start: at, requestID: previous.key, on: tx)
                                    }
                                    if again.id == previous.id && again.alreadyRecorded { tally.retriesMatched += 1 } else { tally.retriesMismatched += 1 }
                                } catch {
                                    tally.unexpected.append(UserMessage.line(for: error))
                                }
                                continue
                            }
                            if attempt % 7 == 0, let own = tally.recorded.randomElement() {
                                do {
                                    let outcome = try await LedgerRetry.transaction(db, retried: retries.add) { tx in try HoursService.approve([own], on: tx) }
                                    // Approving an approved entry again is a no-op and must add no decision.
                                    if case .approved = outcome.first { tally.approved += 1 }
                                } catch SQLState.checkViolation {
                                    tally.refused += 1
                                } catch {
                                    tally.unexpected.append(UserMessage.line(for: error))
                                }
                                continue
                            }
                            let day = Int.random(in: 0..<days)
                            let slot = Int.random(in: 0..<94)
                            let volunteer = numbers.randomElement()!
                            let key = "rec\(recorder)-\(attempt)"
                            let at = TimeInput.instant(base.addingTimeInterval(Double(day) * 86_400 + Double(slot) * 900))
                            do {
                                let recorded = try await LedgerRetry.transaction(db, retried: retries.add) { tx in
                                    try HoursService.record(activity: Int64(day + 1), volunteer: volunteer, minutes: 30, start: at,
                                                            requestID: key, on: tx)
                                }
                                tally.recorded.append(recorded.id)
                                sent.append((key, day, volunteer, slot, recorded.id))
                            } catch SQLState.checkViolation {
                                tally.refused += 1  // a rule held: the slot was taken
                            } catch {
                                tally.unexpected.append(UserMessage.line(for: error))
                            }
                        }
                        await db.close()
                        return tally
                    }
                }
                var all: [Tally] = []
                for try await tally in group { all.append(tally) }
                return all
            }
            let elapsed = Date().timeIntervalSince(started)
            let reported = Set(tallies.flatMap(\.recorded))
            let stored: Int = try await setup.query("SELECT count(*) FROM hours_entry").single().decode(0)
            let found: Int = try await setup.query("SELECT count(*) FROM hours_entry WHERE id = ANY(\(Array(reported)))").single().decode(0)
            let overlaps: Int = try await setup.query("""
                SELECT count(*) FROM (
                    SELECT service_start, lag(service_start + minutes * interval '1 minute') OVER (PARTITION BY volunteer_id ORDER BY service_start) AS prev_end
                    FROM hours_entry WHERE corrects_id IS NULL) x
                WHERE prev_end > service_start
                """).single().decode(0)
            let overLength: Int = try await setup.query("""
                SELECT count(*) FROM (SELECT e.volunteer_id, e.activity_id, sum(e.minutes) AS net, max(a.length_minutes) AS length
                                      FROM hours_entry e JOIN activity a ON a.id = e.activity_id GROUP BY 1, 2) x
                WHERE net > length OR net < 0
                """).single().decode(0)
            let decisions: Int = try await setup.query("SELECT count(*) FROM hours_decision").single().decode(0)
            return (tallies, elapsed, reported.count, stored, found, overlaps, overLength, decisions, retries.count)
        }
        let (tallies, elapsed, reported, stored, found, overlaps, overLength, decisions, retried) = report
        let refused = tallies.map(\.refused).reduce(0, +)
        let unexpected = tallies.flatMap(\.unexpected)
        let matched = tallies.map(\.retriesMatched).reduce(0, +)
        let mismatched = tallies.map(\.retriesMismatched).reduce(0, +)
        let approved = tallies.map(\.approved).reduce(0, +)
        func check(_ ok: Bool) -> String { ok ? "ok" : "FAILED" }
        print("\(recorders) concurrent recorders, \(volunteerCount) shared volunteers, \(String(format: "%.1f", elapsed)) s")
        print(String(format: "  entries recorded      : %d (%.0f entries/s); refused by a rule: %d; approvals: %d", reported,
                     Double(reported) / elapsed, refused, approved))
        print("  no lost entry         : \(check(found == reported && stored == reported)) (reported \(reported), in the ledger \(stored))")
        print("  retried requests      : \(check(mismatched == 0)) (\(matched) answered with the first entry, \(mismatched) not)")
        print("  no double count       : \(check(overlaps == 0 && overLength == 0)) (overlapping intervals \(overlaps), nets outside 0…length \(overLength))")
        print("  decisions             : \(check(decisions == approved)) (\(decisions) in the ledger for \(approved) approvals)")
        print("  deadlocks/serialization: \(retried) retried in the service; unhandled errors: \(unexpected.count) \(check(unexpected.isEmpty))")
        unexpected.prefix(5).forEach { print("    \($0)") }
        if !(found == reported && stored == reported && mismatched == 0 && overlaps == 0 && overLength == 0 && unexpected.isEmpty) {
            throw ExitCode(2)
        }
    }
}
