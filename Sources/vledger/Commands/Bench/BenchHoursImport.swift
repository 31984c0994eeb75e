import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore

/// vledger's roster import against plain `psql \copy` of the same rows into the same table,
/// with the same constraints and triggers, each in a throwaway database of its own; then
/// `hours import --approve` of rows all on one activity against the same number of rows spread
/// over many (an import onto one big activity must stay linear: issue #10, part 5).
struct BenchHoursImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hours-import",
        abstract: tr("help.bench_hours_import.abstract"),
        discussion: tr("help.bench_hours_import.discussion")
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp(tr("help.bench_hours_import.volunteers"))) var volunteers = 100_000
    @Option(help: ArgumentHelp(tr("help.bench_hours_import.activities"))) var activities = 20_000
    @Option(help: ArgumentHelp(tr("help.bench_hours_import.entries"))) var entries = 3_000_000
    @Option(help: ArgumentHelp(tr("help.bench_hours_import.oneActivityEntries")))
    var oneActivityEntries = 150_000
    @Option(help: ArgumentHelp(tr("help.bench_hours_import.workDirectory"))) var workDirectory: String?

    func validate() throws {
        guard volunteers > 0, activities > 0, entries > 0, oneActivityEntries >= 0 else { throw ValidationError("sizes must be positive") }
        guard max(entries, oneActivityEntries) <= volunteers * min(activities, 1000) else {
            throw ValidationError("at most volunteers × min(activities, 1000) entries: each volunteer serves each activity once")
        }
    }

    func run() async throws {
        let folder = URL(fileURLWithPath: workDirectory ?? NSTemporaryDirectory())
            .appendingPathComponent("vledger-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let roster = folder.appendingPathComponent("roster.csv").path
        let plain = folder.appendingPathComponent("plain.csv").path
        let base = LedgerBenchData.base(activities: activities)

        StandardError.write("generating \(entries) roster rows …")
        try writeRoster(roster, plain: plain, rows: entries) { spread($0, base: base) }
        let locator = database.locator
        let psql = try BenchProcess.psql()

        let (vledgerSeconds, vledgerRows, vledgerCPU) = try await BenchDatabase.using(locator: locator, label: "import") { scratch in
            let db = try await scratch.connect()
            StandardError.write("loading \(volunteers) volunteers and \(activities) activities by COPY …")
            try await LedgerBenchData.load(volunteers: volunteers, activities: activities, base: base, into: db)
            StandardError.write("vledger hours import …")
            let cpuBefore = await BackendCPU.seconds(on: db)
            let started = Date()
            let result = try await HoursImport.importFile(roster, options: ImportOptions(showProgress: true), on: db)
            let seconds = Date().timeIntervalSince(started)
            let cpuAfter = await BackendCPU.seconds(on: db)
            guard result.report.applied == entries else {
                throw VLedgerError.conflict("the import applied \(result.report.applied) of \(entries) rows: \(result.report.problems.first?.description ?? "")")
            }
            return (seconds, result.report.applied, cpuAfter.flatMap { a in cpuBefore.map { a - $0 } })
        }
        let (copySeconds, copyRows, copyCPU) = try await BenchDatabase.using(locator: locator, label: "copy") { scratch in
            let db = try await scratch.connect()
            try await LedgerBenchData.load(volunteers: volunteers, activities: activities, base: base, into: db)
            StandardError.write("psql \\copy into hours_entry …")
            // The same psql session reads its backend's CPU time before and after the COPY.
            let cpuQuery = BackendCPU.query + " AS cpu"
            let started = Date()
            let output = try BenchProcess.output(psql, [
                scratch.connectionString, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=0",
                "-c", cpuQuery,
                "-c", "\\copy hours_entry (volunteer_id, activity_id, service_start, minutes, request_id, source) FROM '\(plain)' WITH (FORMAT csv, HEADER)",
                "-c", cpuQuery,
            ])
            let seconds = Date().timeIntervalSince(started)
            let stats = output.split(separator: "\n").compactMap { BackendCPU.seconds(stat: String($0)) }
            let rows: Int = try await db.query("SELECT count(*) FROM hours_entry").single().decode(0)
            // ON_ERROR_STOP is off only so that a login that may not read /proc gets no CPU figure.
            guard rows == entries else { throw VLedgerError.conflict("psql \\copy loaded \(rows) of \(entries) rows: \(output)") }
            return (seconds, rows, stats.count == 2 ? stats[1] - stats[0] : nil)
        }
        print("hours import benchmark: \(volunteers) volunteers, \(activities) activities, \(entries) entries")
        print(String(format: "  vledger hours import : %8.2f s  %@  %@", vledgerSeconds, BenchStatistics.rate(vledgerRows, vledgerSeconds), BackendCPU.text(vledgerCPU)))
        print(String(format: "  plain COPY (psql)    : %8.2f s  %@  %@", copySeconds, BenchStatistics.rate(copyRows, copySeconds), BackendCPU.text(copyCPU)))
        let ratio = vledgerSeconds / max(copySeconds, 0.000_001)
        print(String(format: "  ratio                : %8.2f×  (target ≤ 2×: %@)", ratio, ratio <= 2 ? "met" : "NOT met"))
        if let vledgerCPU, let copyCPU {
            print(String(format: "  ratio of server CPU  : %8.2f×  (hardly moved by other work on the machine)", vledgerCPU / max(copyCPU, 0.000_001)))
        }
        if oneActivityEntries > 0 {
            try await compareOneActivity(folder: folder, locator: locator)
        }
    }

    /// `hours import --approve` of `oneActivityEntries` rows on one activity against as many
    /// spread over `activities`; target: one activity takes at most twice as long.
    func compareOneActivity(folder: URL, locator: DatabaseLocator) async throws {
        let rows = oneActivityEntries
        let perVolunteer = (rows + volunteers - 1) / volunteers
        let spreadBase = LedgerBenchData.base(activities: activities)
        let spreadRoster = folder.appendingPathComponent("spread.csv").path
        try writeRoster(spreadRoster, plain: nil, rows: rows) { spread($0, base: spreadBase) }
        // One activity of perVolunteer three-hour slots; each volunteer serves once per slot.
        let oneBase = LedgerBenchData.base(activities: perVolunteer)
        let oneRoster = folder.appendingPathComponent("one-activity.csv").path
        try writeRoster(oneRoster, plain: nil, rows: rows) { i in
            let minutes = 60 + i % 61
            let slot = LedgerBenchData.activityStart(i / volunteers, base: oneBase)
            return (i % volunteers, 0, slot.addingTimeInterval(Double((i % 2) * (120 - minutes) * 60)), minutes)
        }
        /// Wall seconds of the import, and the CPU seconds its server backend spent on it.
        func timed(_ label: String, roster: String, activities: Int, base: Date, seconds: Double) async throws -> (Double, Double?) {
            try await BenchDatabase.using(locator: locator, label: label) { scratch in
                let db = try await scratch.connect()
                try await LedgerBenchData.load(volunteers: volunteers, activities: activities, base: base, activitySeconds: seconds, into: db)
                StandardError.write("vledger hours import --approve, \(label) …")
                let cpuBefore = await BackendCPU.seconds(on: db)
                let started = Date()
                let result = try await HoursImport.importFile(roster, options: ImportOptions(showProgress: true), approve: true, on: db)
                let elapsed = Date().timeIntervalSince(started)
                let cpuAfter = await BackendCPU.seconds(on: db)
                let cpu = cpuAfter.flatMap { after in cpuBefore.map { after - $0 } }
                guard result.report.applied == rows, result.approved == rows else {
                    throw VLedgerError.conflict("\(label): applied \(result.report.applied), approved \(result.approved ?? 0) of \(rows) rows: \(result.report.problems.first?.description ?? "")")
                }
                return (elapsed, cpu)
            }
        }
        let (spreadSeconds, spreadCPU) = try await timed("spread", roster: spreadRoster, activities: activities, base: spreadBase, seconds: 7200)
        let (oneSeconds, oneCPU) = try await timed("one_activity", roster: oneRoster, activities: 1, base: oneBase,
                                                   seconds: Double(perVolunteer) * 3 * 3600)
        print("hours import --approve: \(rows) rows, on \(activities) activities and on one")
        print(String(format: "  spread over activities : %8.2f s  %@  %@", spreadSeconds, BenchStatistics.rate(rows, spreadSeconds), BackendCPU.text(spreadCPU)))
        print(String(format: "  all on one activity    : %8.2f s  %@  %@", oneSeconds, BenchStatistics.rate(rows, oneSeconds), BackendCPU.text(oneCPU)))
        let ratio = oneSeconds / max(spreadSeconds, 0.000_001)
        print(String(format: "  ratio                  : %8.2f×  (target ≤ 2×: %@)", ratio, ratio <= 2 ? "met" : "NOT met"))
        if let spreadCPU, let oneCPU {
            print(String(format: "  ratio of server CPU    : %8.2f×  (the same, hardly moved by other work on the machine)", oneCPU / max(spreadCPU, 0.000_001)))
        }
    }

    /// Row `i` of the spread roster: each volunteer serves distinct activities, which never
    /// overlap in time, for 60 to 120 minutes inside the activity.
    func spread(_ i: Int, base: Date) -> (volunteer: Int, activity: Int, start: Date, minutes: Int) {
        // A stride coprime with the number of activities keeps one volunteer's activities distinct.
        let stride = [617, 619, 631, 641].first { activities % $0 != 0 } ?? 643
        let v = i % volunteers
        let j = i / volunteers
        let k = (v &* 7 &+ j &* stride) % activities
        let minutes = 60 + i % 61
        let offset = (i % 2) * (120 - minutes)
        return (v, k, LedgerBenchData.activityStart(k, base: base).addingTimeInterval(Double(offset * 60)), minutes)
    }

    /// The roster as a person would write it (volunteer number, activity, local start, minutes)
    /// and, when `plain` is given, the same rows as plain COPY wants them (ids, instants).
    func writeRoster(_ roster: String, plain: String?, rows: Int,
                     row: (Int) -> (volunteer: Int, activity: Int, start: Date, minutes: Int)) throws {
        _ = FileManager.default.createFile(atPath: roster, contents: nil)
        if let plain { _ = FileManager.default.createFile(atPath: plain, contents: nil) }
        guard let rosterHandle = FileHandle(forWritingAtPath: roster) else {
            throw VLedgerError.configuration("cannot write benchmark files in \(roster)")
        }
        let plainHandle = plain.flatMap { FileHandle(forWritingAtPath: $0) }
        defer { try? rosterHandle.close(); try? plainHandle?.close() }
        var rosterText = "volunteer,activity,start,minutes\n"
        var plainText = "volunteer_id,activity_id,service_start,minutes,request_id,source\n"
        for i in 0..<rows {
            let (v, k, start, minutes) = row(i)
            let number = "VL" + String(repeating: "0", count: 8 - String(v + 1).count) + String(v + 1)
            let local = LedgerBenchData.local(start)
            rosterText += "\(number),\(k + 1),\(local),\(minutes)\n"
            if plainHandle != nil { plainText += "\(v + 1),\(k + 1),\(local),\(minutes),plain:\(i),import\n" }
            if rosterText.utf8.count > 1 << 20 {
                rosterHandle.write(Data(rosterText.utf8)); rosterText = ""
                plainHandle?.write(Data(plainText.utf8)); plainText = ""
            }
        }
        rosterHandle.write(Data(rosterText.utf8))
        plainHandle?.write(Data(plainText.utf8))
    }
}
