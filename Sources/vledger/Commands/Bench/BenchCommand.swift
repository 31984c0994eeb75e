import ArgumentParser

/// Benchmarks that print their figures, each against the raw PostgreSQL way of doing the same work.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure vledger against plain PostgreSQL (COPY, psql, hand-written SQL) and print the figures.",
        subcommands: [
            BenchVolunteerImport.self,
            BenchRegister.self,
            BenchHoursImport.self,
            BenchHoursRecord.self,
            BenchRecorders.self,
            BenchAudit.self,
            BenchMetrics.self,
        ]
    )
}
