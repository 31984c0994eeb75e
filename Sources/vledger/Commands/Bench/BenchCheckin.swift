import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore

/// Self check-ins by code as the service makes them (two transactions each: the try, then its
/// answer), from concurrent clients on one activity: every volunteer checks in once and out once.
/// Prints the rate and the latency of one whole check-in, then checks the rows in SQL.
struct BenchCheckin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkin",
        abstract: tr("help.bench_checkin.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp(tr("help.bench_checkin.clients"))) var clients = 8
    @Option(help: ArgumentHelp(tr("help.bench_checkin.volunteers"))) var volunteers = 2000

    func validate() throws {
        guard clients > 0, volunteers >= clients else { throw ValidationError("--clients must be positive and at most --volunteers") }
    }

    func run() async throws {
        let (clients, count) = (self.clients, self.volunteers)
        let report = try await BenchDatabase.using(locator: database.locator, label: "checkin") { scratch in
            let setup = try await scratch.connect()
            let activity: Int64 = try await setup.withIsolated { db in
                try db.execute("INSERT INTO district (code, name) VALUES (\(LedgerBenchData.district), '凤凰城街道')")
                try db.copyIn("COPY volunteer (name, id_number, phone, registered_on) FROM STDIN") { writer in
                    for n in 0..<count { try writer.write(["志愿者\(n)", LedgerBenchData.idNumber(n), "1380000" + String(format: "%04d", n % 10000), "2000-01-01"]) }
                }
                return try db.query("""
                    INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                    VALUES ('扫码', \(LedgerBenchData.district), '组织者', now() - interval '10 minutes', now() + interval '3 hours') RETURNING id
                    """).single().decode(0)
            }
            let people: [(number: String, last4: String)] = try await setup.query("SELECT number, right(phone, 4) FROM volunteer ORDER BY id")
                .map { (try $0.decode(0), try $0.decode(1)) }
            let started = Date()
            let timings = try await withThrowingTaskGroup(of: [Double].self) { group in
                for client in 0..<clients {
                    group.addTask {
                        let db = try await scratch.connect()
                        let codes = try await scratch.connect()
                        var timings: [Double] = []
                        for action in CheckinAction.allCases {
                            for person in stride(from: client, to: people.count, by: clients).map({ people[$0] }) {
                                // The code as the screen shows it (not timed; accepted in this slot and the next).
                                let code = try await codes.transaction { tx in try CheckinCodes.current(activity: activity, action: action, on: tx) }
                                let t0 = DispatchTime.now().uptimeNanoseconds
                                _ = try await SelfCheckin.record(activity: activity, volunteer: person.number, phoneLast4: person.last4,
                                                                 code: code.code, action: action, clientAddress: "192.0.2.1", on: db)
                                timings.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                            }
                        }
                        await db.close()
                        await codes.close()
                        return timings
                    }
                }
                var all: [Double] = []
                for try await part in group { all += part }
                return all
            }
            let elapsed = Date().timeIntervalSince(started)
            let row = try await setup.query("""
                SELECT (SELECT count(*) FROM hours_checkin WHERE source = 'code')::int, (SELECT count(*) FROM hours_checkout WHERE source = 'code')::int,
                       (SELECT count(*) FROM checkin_attempt)::int, (SELECT count(*) FROM checkin_attempt WHERE verdict <> 'ok')::int
                """).single()
            let (ins, outs, tries, refused): (Int, Int, Int, Int) = (try row.decode(0), try row.decode(1), try row.decode(2), try row.decode(3))
            guard ins == count, outs == count, tries == 2 * count, refused == 0 else {
                throw VLedgerError.conflict("expected \(count) check-ins and check-outs from \(2 * count) good tries; found \(ins), \(outs), \(tries) tries, \(refused) refused")
            }
            return (timings, elapsed)
        }
        let (timings, elapsed) = report
        print("vledger self check-in by code, \(clients) clients, \(count) volunteers in and out (\(timings.count) check-ins, two transactions each):")
        print(String(format: "  %.0f check-ins/s   median %.2f ms   p95 %.2f ms   p99 %.2f ms   max %.2f ms", Double(timings.count) / elapsed,
                     BenchStatistics.median(timings), BenchStatistics.p95(timings),
                     timings.sorted()[min(timings.count - 1, Int(Double(timings.count) * 0.99))], timings.max() ?? 0))
        print("  rows checked in SQL: every try recorded once, every volunteer checked in and out once, none refused")
    }
}
