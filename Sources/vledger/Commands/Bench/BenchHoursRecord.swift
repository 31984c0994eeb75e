import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore

/// Whole-process latency of `vledger hours record` on a warm database: what an organiser's
/// script or a form handler pays per entry.
struct BenchHoursRecord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hours-record",
        abstract: tr("help.bench_hours_record.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp(tr("help.bench_hours_record.runs"))) var runs = 50
    @Option(help: ArgumentHelp(tr("help.bench_hours_record.warmup"))) var warmup = 3

    func validate() throws {
        guard runs > 0, warmup >= 0 else { throw ValidationError("--runs must be positive") }
    }

    func run() async throws {
        let total = runs + warmup
        let timings = try await BenchDatabase.using(locator: database.locator, label: "record") { scratch in
            let db = try await scratch.connect()
            // One volunteer, one long activity: each run records one minute in its own slot.
            let base = LedgerBenchData.base(activities: 1).addingTimeInterval(-Double(total) * 120)
            try await db.withIsolated { db in
                try db.execute("INSERT INTO district (code, name) VALUES (\(LedgerBenchData.district), '凤凰城街道')")
                try db.execute("""
                    INSERT INTO volunteer (name, id_number, phone, registered_on) VALUES ('张三', \(LedgerBenchData.idNumber(1)), '13800000000', '2000-01-01')
                    """)
                try db.execute("""
                    INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                    VALUES ('计时', \(LedgerBenchData.district), '组织者', \(base), \(base.addingTimeInterval(Double(total) * 120 + 60)))
                    """)
            }
            var timings: [Double] = []
            for run in 0..<total {
                let start = LedgerBenchData.local(base.addingTimeInterval(Double(run) * 120))
                let elapsed = try BenchProcess.timed(BenchProcess.vledger, [
                    "hours", "record", "--activity", "1", "--volunteer", "VL00000001", "--minutes", "1", "--start", start,
                    "--request-id", "bench-\(run)", "--database-url", scratch.connectionString,
                ])
                if run >= warmup { timings.append(elapsed * 1000) }
            }
            let stored: Int = try await db.query("SELECT count(*) FROM hours_entry").single().decode(0)
            guard stored == total else { throw VLedgerError.conflict("expected \(total) entries, found \(stored)") }
            return timings.sorted()
        }
        let median = BenchStatistics.median(timings)
        let p95 = BenchStatistics.p95(timings)
        print("vledger hours record, whole process, \(runs) runs after \(warmup) warm-up:")
        print(String(format: "  median %.1f ms   p95 %.1f ms   min %.1f ms   max %.1f ms   (target < 100 ms: %@)",
                     median, p95, timings.first!, timings.last!, p95 < 100 ? "met" : (median < 100 ? "median met, p95 not" : "NOT met")))
    }
}
