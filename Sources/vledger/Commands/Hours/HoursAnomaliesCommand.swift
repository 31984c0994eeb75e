import ArgumentParser
import VLedgerCore

struct HoursAnomaliesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomalies",
        abstract: tr("help.hours_anomalies.abstract"),
        discussion: tr("help.hours_anomalies.discussion") + " " + tr("help.hours_anomalies.more")
    )

    @OptionGroup var database: DatabaseOptions
    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.hours_anomalies.year"))) var year: Int?
    @Option(name: .customLong("late-days"), parsing: .unconditional, help: ArgumentHelp(tr("help.hours_anomalies.lateDays"))) var lateDays: Int?
    @Option(name: .customLong("recorder-hourly-limit"), parsing: .unconditional, help: ArgumentHelp(tr("help.hours_anomalies.recorderHourlyLimit"))) var recorderHourlyLimit: Int?
    @Option(name: .customLong("daily-notice-hours"), parsing: .unconditional, help: ArgumentHelp(tr("help.hours_anomalies.dailyNoticeHours"))) var dailyNoticeHours: Int?
    @Option(name: .customLong("burst-minutes"), parsing: .unconditional, help: ArgumentHelp(tr("help.hours_anomalies.burstMinutes"))) var burstMinutes: Int?
    @Option(name: .customLong("burst-volunteers"), parsing: .unconditional, help: ArgumentHelp(tr("help.hours_anomalies.burstVolunteers"))) var burstVolunteers: Int?
    @Option(help: ArgumentHelp(tr("help.hours_anomalies.format"))) var format: OutputFormat = .table

    func run() async throws {
        let limits = HoursAnomalies.Limits(lateDays: lateDays, recorderHourlyEntries: recorderHourlyLimit, dailyNoticeHours: dailyNoticeHours,
                                           burstMinutes: burstMinutes, burstVolunteers: burstVolunteers)
        try limits.validate()
        let db = try await database.connect()
        let (anomalies, lookups) = try await HoursAnomalies.find(year: year, limits: limits, in: LedgerSession(db))
        switch format {
        case .json: print(HoursAnomalies.json(anomalies, lookups: lookups).rendered())
        case .table: print(HoursAnomalies.tables(anomalies, lookups: lookups), terminator: "")
        case .csv: print(HoursAnomalies.csv(anomalies, lookups: lookups), terminator: "")
        }
    }
}
