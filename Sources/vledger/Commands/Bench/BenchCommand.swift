import ArgumentParser
import VLedgerCore

/// Benchmarks that print their figures, each against the raw PostgreSQL way of doing the same work.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: tr("help.bench.abstract"),
        subcommands: [
            BenchVolunteerImport.self,
            BenchRegister.self,
            BenchHoursImport.self,
            BenchHoursRecord.self,
            BenchRecorders.self,
            BenchAudit.self,
            BenchMetrics.self,
            BenchAnomalies.self,
            BenchDashboard.self,
            BenchCheckin.self,
            BenchHTTP.self,
        ]
    )
}
