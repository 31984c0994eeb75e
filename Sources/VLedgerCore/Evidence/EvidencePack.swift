import Checksums
import Foundation
import PostgresLibPQ

/// What `vledger evidence` is asked for.
public struct EvidenceRequest: Sendable {
    public var year: Int
    public var visit: CalendarDate?
    /// nil: the moment of the run, written into the manifest.
    public var asRecordedAt: String?
    public var scope: MetricsScope
    public var targets: MetricsTargets
    public var supportTarget: MetricsTarget

    public init(year: Int, visit: String?, asRecordedAt: String?, scope: MetricsScope = .builtUp, targets: MetricsTargets = .plan,
                supportTarget: MetricsTarget = SupportRateReport.planTarget) throws {
        _ = try MetricsRequest(year: year)
        self.year = year
        self.visit = try visit.map { try DateInput.parse($0, field: "visit") }
        if let visit = self.visit, visit.year < MetricsRequest.years.lowerBound + 2 {
            throw RuleViolation(field: "visit", value: visit.description, code: "evidence_visit_range")
        }
        self.asRecordedAt = asRecordedAt
        self.scope = scope
        self.targets = targets
        self.supportTarget = supportTarget
    }
}

/// One file of the pack: its name in the folder, its bytes, and the command that makes it again.
public struct EvidenceFile: Sendable {
    public var name: String
    public var bytes: [UInt8]
    public var command: String
}

/// The materials a city uploads for the evaluation (issue 16 §5), built only from the metrics
/// service's reports (so keys other parts add to the metrics JSON reach the pack unchanged) and
/// read as of one moment T. Same T, same bytes: the JSON keeps its key order, the workbooks have
/// fixed ZIP timestamps, nothing carries the time of the run but T itself.
public enum EvidencePack {
    public static func build(_ request: EvidenceRequest, in session: LedgerSession,
                             progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> [EvidenceFile] {
        // T first, so every read below (and a later regeneration) sees the same records.
        let moment = try await session.snapshot { db -> String in
            let timeZone = try db.query("SELECT vl_time_zone()").single().decode(0, as: String.self)
            if let text = request.asRecordedAt {
                let instant = try TimeInput.parse(text, field: "as-recorded-at").resolve(timeZone: timeZone, on: db)
                return try MetricsService.formatMoment(instant, timeZone: timeZone, on: db)
            }
            // T is written to the second, so it is the next whole second, and the reads wait until it
            // has passed: a record made in the second the run began is in the pack, as it is in
            // every regeneration with the same T (truncating would leave it out of both).
            let moment = try db.query("SELECT date_trunc('second', clock_timestamp()) + interval '1 second'").single().decode(0, as: Date.self)
            _ = try db.query("SELECT pg_sleep(greatest(0, extract(epoch FROM \(moment)::timestamptz - clock_timestamp())::float8 + 0.01))").single()
            return try MetricsService.formatMoment(moment, timeZone: timeZone, on: db)
        }
        var yearRequest = try MetricsRequest(year: request.year, asRecordedAt: moment, scope: request.scope, targets: request.targets)
        yearRequest.supportTarget = request.supportTarget
        var windowRequest = try request.visit.map { try MetricsWindow(visit: $0).request(asRecordedAt: moment, scope: request.scope, targets: request.targets) }
        windowRequest?.supportTarget = request.supportTarget
        let command = Self.command(request, moment: moment)
        let (yearAsOf, window) = (yearRequest.asOf, windowRequest?.window)

        progress(tr("ui.evidence.progress.metrics", ["what": String(request.year)]))
        let yearReport = try await MetricsService.run(yearRequest, in: session)
        var windowReport: MetricsReport? = nil
        if let windowRequest, let window = windowRequest.window {
            progress(tr("ui.evidence.progress.metrics", ["what": "\(window.from) … \(window.through)"]))
            windowReport = try await MetricsService.run(windowRequest, in: session)
        }
        progress(tr("ui.evidence.progress.activities"))
        let (activities, windowActivities, populations) = try await session.snapshot { db in
            let timeZone = try db.query("SELECT vl_time_zone()").single().decode(0, as: String.self)
            let instant = try TimeInput.parse(moment, field: "as-recorded-at").resolve(timeZone: timeZone, on: db)
            let yearWindow = try MetricsQuery.window(year: request.year, asOf: yearAsOf, timeZone: timeZone, on: db)
            let year = try EvidenceActivities.list(start: yearWindow.start, end: yearWindow.end, timeZone: timeZone, recordedAt: instant, on: db)
            var inWindow: [EvidenceActivity]? = nil
            var years = [request.year]
            if let window {
                let span = try MetricsQuery.window(window, timeZone: timeZone, on: db)
                inWindow = try EvidenceActivities.list(start: span.start, end: span.end, timeZone: timeZone, recordedAt: instant, on: db)
                years.append(window.populationYear)
            }
            let figures = try Set(years).sorted().flatMap { try Population.list(year: $0, asRecordedAt: instant, on: db) }
            return (year, inWindow, figures)
        }

        progress(tr("ui.evidence.progress.files"))
        var files: [EvidenceFile] = []
        let yearBase = "indicators-\(request.year)"
        files += indicatorFiles(yearReport, base: yearBase, command: command, metricsCommand: Self.metricsCommand(request, moment: moment))
        files += activityFiles(activities, base: "activities-\(request.year)", command: command)
        if let windowReport, let window = windowReport.request.window, let windowActivities {
            let base = "indicators-window-\(window.from)-\(window.through)"
            files += indicatorFiles(windowReport, base: base, command: command, metricsCommand: nil)
            files += activityFiles(windowActivities, base: "activities-window-\(window.from)-\(window.through)", command: command)
        }
        let definitions = EvidenceDefinitions(year: yearReport, window: windowReport, populations: populations)
        files.append(EvidenceFile(name: "definitions.json", bytes: Array((definitions.json.rendered() + "\n").utf8), command: command))
        files.append(EvidenceFile(name: "README.md", bytes: Array(EvidenceReadme.text(files: files, definitions: definitions, command: command, moment: moment).utf8),
                                  command: command))
        files.append(EvidenceFile(name: "commands.sh", bytes: Array(commandsScript(files, command: command).utf8), command: command))
        files.append(EvidenceFile(name: "manifest.json", bytes: Array((manifest(files, request: request, report: yearReport, moment: moment, command: command).rendered() + "\n").utf8),
                                  command: command))
        // `sha256sum -c SHA256SUMS` checks every file, the manifest included.
        let sums = files.map { SHA256.hex($0.bytes) + "  " + $0.name + "\n" }.joined()
        files.append(EvidenceFile(name: "SHA256SUMS", bytes: Array(sums.utf8), command: command))
        return files
    }

    /// Writes the files into `folder` (created when missing); existing files of the same names are replaced.
    public static func write(_ files: [EvidenceFile], to folder: String) throws {
        let url = URL(fileURLWithPath: folder, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            for file in files { try Data(file.bytes).write(to: url.appendingPathComponent(file.name), options: .atomic) }
        } catch {
            throw UserFacingError.error(.configuration, "cannot_write", ["file": folder, "detail": error.localizedDescription])
        }
    }

    static func indicatorFiles(_ report: MetricsReport, base: String, command: String, metricsCommand: String?) -> [EvidenceFile] {
        [
            EvidenceFile(name: base + ".json", bytes: Array((report.json.rendered() + "\n").utf8),
                         command: metricsCommand.map { "\($0) --format json > \(base).json" } ?? command),
            EvidenceFile(name: base + ".csv", bytes: Array(report.csv.utf8),
                         command: metricsCommand.map { "\($0) --format csv > \(base).csv" } ?? command),
            EvidenceFile(name: base + ".xlsx", bytes: EvidenceSheets.workbook(report).data(), command: command),
        ]
    }

    static func activityFiles(_ activities: [EvidenceActivity], base: String, command: String) -> [EvidenceFile] {
        let rows = EvidenceActivities.rows(activities)
        return [
            EvidenceFile(name: base + ".csv", bytes: Array(CSVWriter.document(header: EvidenceActivities.header, rows: rows).utf8), command: command),
            EvidenceFile(name: base + ".xlsx", bytes: Workbook(sheets: [Sheet(
                name: "活动", header: EvidenceActivities.header, textRows: rows,
                numericColumns: ["activity", "approved_minutes", "approved_hours", "volunteers"])]).data(), command: command),
        ]
    }

    /// The shell word of `text`: as is when safe, else in single quotes.
    static func quoted(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:+/=".contains($0)) }
        return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func flags(_ request: EvidenceRequest, moment: String) -> String {
        var words = ["--year", String(request.year), "--as-recorded-at", quoted(moment), "--scope", request.scope.rawValue]
        let plan = MetricsTargets.plan
        if request.targets.registrationShare != plan.registrationShare { words += ["--target-registration-share", request.targets.registrationShare.text] }
        if request.targets.participationRate != plan.participationRate { words += ["--target-participation-rate", request.targets.participationRate.text] }
        if request.targets.hoursPerVolunteer != plan.hoursPerVolunteer { words += ["--target-hours", request.targets.hoursPerVolunteer.text] }
        if request.supportTarget != SupportRateReport.planTarget { words += ["--target-support-rate", request.supportTarget.text] }
        return words.joined(separator: " ")
    }

    /// The command that writes the whole pack again (into the current folder).
    static func command(_ request: EvidenceRequest, moment: String) -> String {
        "vledger evidence " + flags(request, moment: moment) + (request.visit.map { " --visit \($0)" } ?? "") + " --out ."
    }

    static func metricsCommand(_ request: EvidenceRequest, moment: String) -> String {
        "vledger metrics " + flags(request, moment: moment)
    }

    static func commandsScript(_ files: [EvidenceFile], command: String) -> String {
        var text = "#!/bin/sh\n# " + Catalog.text("ui.evidence.commands_note", in: .en) + "\n# " + Catalog.text("ui.evidence.commands_note", in: .zh) + "\nset -e\n"
        text += command + "\n"
        for file in files where file.command != command { text += file.command + "\n" }
        text += "sha256sum -c SHA256SUMS\n"
        return text
    }

    static func manifest(_ files: [EvidenceFile], request: EvidenceRequest, report: MetricsReport, moment: String, command: String) -> JSONValue {
        .object([
            ("year", .int(request.year)),
            ("visit", request.visit.map { .string($0.description) } ?? .null),
            ("window", request.visit.map { MetricsWindow(visit: $0).json } ?? .null),
            ("as_recorded_at", .string(moment)),
            ("time_zone", .string(report.timeZone)),
            ("scope", .string(request.scope.rawValue)),
            ("audit_head", report.auditHead?.json ?? .null),
            ("command", .string(command)),
            ("files", .array(files.map { file in
                .object([("name", .string(file.name)), ("bytes", .int(file.bytes.count)), ("sha256", .string(SHA256.hex(file.bytes))),
                         ("command", .string(file.command))])
            })),
        ])
    }
}
