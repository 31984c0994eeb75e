import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore

struct BenchVolunteerImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volunteer-import",
        abstract: tr("help.bench_volunteer_import.abstract"),
        discussion: tr("help.bench_volunteer_import.discussion")
    )

    @Option(help: ArgumentHelp(tr("help.bench_volunteer_import.volunteers"))) var volunteers = 100_000
    @Option(help: ArgumentHelp(tr("help.bench_volunteer_import.seed"))) var seed: UInt64 = 2019
    @Option(help: ArgumentHelp(tr("help.bench_volunteer_import.rounds"))) var rounds = 3
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let psql = try BenchProcess.psql()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("volunteers.csv")
        StandardError.write("generating \(volunteers) volunteers…")
        let csv = VolunteerFileGenerator(seed: seed, districts: BenchDistricts.codes).csv(count: volunteers)
        try Data(csv.utf8).write(to: file)

        let script = directory.appendingPathComponent("load.sql")
        try Data(psqlScript(file: file).utf8).write(to: script)
        // Other work on the machine moves single timings a lot: several rounds, each into fresh
        // databases, taking turns at going first; the medians are compared.
        var vledgerTimes: [Double] = []
        var psqlTimes: [Double] = []
        for round in 1...rounds {
            try await BenchDatabase.with(locator: database.locator, label: "import", count: 2) { databases in
                for target in databases {
                    let connection = try await target.connect()
                    try await connection.transaction { db in try BenchDistricts.add(on: db) }
                    await connection.close()
                }
                func runVledger() throws {
                    StandardError.write("round \(round)/\(rounds): vledger volunteer import…")
                    vledgerTimes.append(try BenchProcess.timed(
                        BenchProcess.vledger, ["volunteer", "import", file.path, "--quiet", "--database-url", databases[0].connectionString]))
                }
                func runPsql() throws {
                    StandardError.write("round \(round)/\(rounds): psql \\copy…")
                    psqlTimes.append(try BenchProcess.timed(
                        psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databases[1].connectionString, "-f", script.path]))
                }
                if round % 2 == 1 {
                    try runVledger()
                    try runPsql()
                } else {
                    try runPsql()
                    try runVledger()
                }
                for (target, label) in zip(databases, ["vledger", "psql"]) {
                    let connection = try await target.connect()
                    let counts = try await connection.query("SELECT (SELECT count(*) FROM volunteer), (SELECT count(*) FROM volunteer_district)").single()
                    let loaded: Int = try counts.decode(0)
                    let districtRows: Int = try counts.decode(1)
                    await connection.close()
                    guard loaded == volunteers, districtRows == volunteers else {
                        throw VLedgerError.refused("\(label) loaded \(loaded) volunteers and \(districtRows) district rows, expected \(volunteers)")
                    }
                }
            }
        }
        func list(_ values: [Double]) -> String { values.map { String(format: "%.2f", $0) }.joined(separator: " ") }
        let vledgerSeconds = BenchStatistics.median(vledgerTimes)
        let psqlSeconds = BenchStatistics.median(psqlTimes)
        print("volunteers: \(volunteers), rounds: \(rounds)")
        print("binary: \(BenchProcess.vledger.path)")
        print(String(format: "vledger volunteer import: median %.3f s (%.0f rows/s)", vledgerSeconds, Double(volunteers) / vledgerSeconds)
              + "; rounds: \(list(vledgerTimes)) s")
        print(String(format: "psql \\copy + INSERT … SELECT: median %.3f s (%.0f rows/s)", psqlSeconds, Double(volunteers) / psqlSeconds)
              + "; rounds: \(list(psqlTimes)) s")
        print(String(format: "ratio vledger / psql: %.2f (target ≤ 2.00)", vledgerSeconds / psqlSeconds))
    }

    /// The psql side: same staging columns, same single INSERT … SELECT as vledger uses.
    func psqlScript(file: URL) -> String {
        """
        BEGIN;
        CREATE TEMP TABLE vl_import_volunteer (
            line int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, id_number text NOT NULL, phone text NOT NULL,
            district_code text NOT NULL, registered_on date NOT NULL,
            guardian_name text, guardian_phone text, guardian_consent boolean NOT NULL DEFAULT false
        ) ON COMMIT DROP;
        \\copy vl_import_volunteer (name, id_number, phone, district_code, registered_on) FROM '\(file.path.replacingOccurrences(of: "'", with: "''"))' WITH (FORMAT csv, HEADER true)
        ANALYZE vl_import_volunteer;
        \(VolunteerImport.insertStatement.rendered.text);
        COMMIT;

        """
    }
}
