import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore

struct BenchRegister: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: tr("help.bench_register.abstract"),
        discussion: tr("help.bench_register.discussion")
    )

    @Option(help: ArgumentHelp(tr("help.bench_register.runs"))) var runs = 50
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        let people = VolunteerFileGenerator(seed: 7, districts: BenchDistricts.codes).rows(count: runs + 3)
        try await BenchDatabase.using(locator: database.locator, label: "register") { target in
            let connection = try await target.connect()
            try await connection.transaction { db in try BenchDistricts.add(on: db) }
            await connection.close()
            func register(_ row: [String]) throws -> Double {
                try BenchProcess.timed(BenchProcess.vledger, [
                    "volunteer", "register", "--name", row[0], "--id-number", row[1], "--phone", row[2],
                    "--district", row[3], "--registered-on", row[4], "--database-url", target.connectionString,
                ])
            }
            // Warm the server's caches and the file system's, as a day of registrations would.
            for row in people.prefix(3) { _ = try register(row) }
            var times: [Double] = []
            let progress = ProgressReporter(label: "register", total: runs)
            for row in people.dropFirst(3) {
                times.append(try register(row))
                progress.update(times.count)
            }
            times.sort()
            let median = BenchStatistics.median(times)
            let p95 = BenchStatistics.p95(times)
            print("runs: \(runs)")
            print("binary: \(BenchProcess.vledger.path)")
            print(String(format: "vledger volunteer register: median %.1f ms, p95 %.1f ms, min %.1f ms, max %.1f ms (target < 100 ms)",
                         median * 1000, p95 * 1000, times.first! * 1000, times.last! * 1000))
        }
    }
}
