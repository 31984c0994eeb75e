import ArgumentParser
import Foundation
import VLedgerCore

struct BenchAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: tr("help.bench_audit.abstract"),
        discussion: tr("help.bench_audit.discussion")
    )

    @Option(help: ArgumentHelp(tr("help.bench_audit.rows")))
    var rows: Int = 1_000_000

    @Option(help: ArgumentHelp(tr("help.bench_audit.rounds")))
    var rounds: Int = 3

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard rows > 0 else { throw ValidationError("--rows must be positive") }
        guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
    }

    func run() async throws {
        let connection = try await database.connect()
        let (rows, rounds) = (rows, rounds)
        let result = try await connection.withIsolated { db in
            try AuditBenchmark.run(rows: rows, rounds: rounds, progress: { StandardError.write($0) }, on: db)
        }
        func line(_ label: String, _ timing: AuditBenchmark.Timing) -> [String] {
            [label, String(format: "%.2f s", timing.plain), String(format: "%.2f s", timing.audited), String(format: "%.2f×", timing.ratio)]
        }
        var table = TextTable(header: ["\(result.rows) hours rows, best of \(result.rounds)", "audit off", "audit on", "ratio"], alignments: [.left, .right, .right, .right])
        table.append(line("COPY", result.copy))
        table.append(line("INSERT … SELECT", result.insertSelect))
        print(table.rendered(), terminator: "")
    }
}
