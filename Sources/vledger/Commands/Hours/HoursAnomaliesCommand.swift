import ArgumentParser
import VLedgerCore

struct HoursAnomaliesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomalies",
        abstract: tr("help.hours_anomalies.abstract"),
        discussion: tr("help.hours_anomalies.discussion")
    )

    @OptionGroup var database: DatabaseOptions
    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.hours_anomalies.year"))) var year: Int?
    @Option(name: .customLong("late-days"), parsing: .unconditional, help: ArgumentHelp(tr("help.hours_anomalies.lateDays"))) var lateDays: Int?
    @Option(name: .customLong("recorder-hourly-limit"), parsing: .unconditional, help: ArgumentHelp(tr("help.hours_anomalies.recorderHourlyLimit"))) var recorderHourlyLimit: Int?
    @Option(help: ArgumentHelp(tr("help.hours_anomalies.format"))) var format: OutputFormat = .table

    func run() async throws {
        let db = try await database.connect()
        let (year, limits) = (self.year, HoursAnomalies.Limits(lateDays: lateDays, recorderHourlyEntries: recorderHourlyLimit))
        let (anomalies, lookups) = try await db.transaction(readOnly: true) { tx in
            (try HoursAnomalies.find(year: year, limits: limits, on: tx), try HoursAnomalies.lookups(year: year, on: tx))
        }
        switch format {
        case .json: print(HoursAnomalies.json(anomalies, lookups: lookups).rendered())
        case .table:
            print(HoursAnomalies.table(anomalies), terminator: "")
            if !lookups.isEmpty {
                print("\n" + tr("ui.anomalies.lookups_heading"))
                print(HoursAnomalies.table(lookups), terminator: "")
            }
        case .csv:
            print(CSVWriter.document(
                header: ["entry", "kind", "reason", "volunteer", "activity", "service_start", "minutes", "status", "recorded_by", "recorded_at"],
                rows: anomalies.map { [String($0.entryID), $0.kind, $0.reason, $0.volunteerNumber, String($0.activityID), $0.serviceStart,
                                       String($0.minutes), $0.status, $0.recordedBy, $0.recordedAt] }
                    + lookups.map { ["", $0.kind, $0.reason, "", "", "", "", "", $0.login, $0.hour] }), terminator: "")
        }
    }
}
