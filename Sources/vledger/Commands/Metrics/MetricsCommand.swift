import ArgumentParser
import VLedgerCore

struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: tr("help.metrics.abstract"),
        discussion: tr("help.metrics.discussion")
    )

    @OptionGroup var database: DatabaseOptions

    // Unconditional: "--year -5" reaches the year rule instead of "Missing value".
    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.metrics.year"), valueName: "year"))
    var year: Int

    @Option(name: .customLong("as-of"), help: ArgumentHelp(tr("help.metrics.asOf"), valueName: "date"))
    var asOf: String?

    @Option(name: .customLong("as-recorded-at"), help: ArgumentHelp(
        "Figures as the records stood at this time (2020-03-01T12:00:00+08:00 or 2020-03-01 12:00 city time).", valueName: "time"))
    var asRecordedAt: String?

    @Option(help: ArgumentHelp(tr("help.metrics.scope"), valueName: "scope"))
    var scope: String = MetricsScope.builtUp.rawValue

    @Option(help: ArgumentHelp(tr("help.metrics.format"), valueName: "format"))
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp(tr("help.metrics.by"), valueName: "period"))
    var by: String?

    @Option(name: .customLong("target-registration-share"), help: ArgumentHelp(tr("help.metrics.targetRegistrationShare"), valueName: "ratio"))
    var targetRegistrationShare: String?

    @Option(name: .customLong("target-participation-rate"), help: ArgumentHelp(tr("help.metrics.targetParticipationRate"), valueName: "ratio"))
    var targetParticipationRate: String?

    @Option(name: .customLong("target-hours"), help: ArgumentHelp(tr("help.metrics.targetHours"), valueName: "hours"))
    var targetHours: String?

    @Flag(name: .customLong("from-ledger"), help: ArgumentHelp(tr("help.metrics.fromLedger")))
    var fromLedger = false

    func run() async throws {
        let targets = try MetricsTargets.with(
            registrationShare: targetRegistrationShare, participationRate: targetParticipationRate, hoursPerVolunteer: targetHours)
        var request = try MetricsRequest(
            year: year, asOf: asOf, asRecordedAt: asRecordedAt, scope: try MetricsScope.parse(scope), targets: targets)
        request.fromLedger = fromLedger
        if let by, by != "month" {
            throw RuleViolation(field: "by", value: by, code: "by_month")
        }
        let connection = try await database.connect()
        if by == "month" {
            let reports = try await MetricsService.runByMonth(request, on: connection)
            reports.last?.warnings.forEach { StandardError.write(tr("ui.warning", ["message": $0.text()])) }
            switch format {
            case .json: print(MetricsReport.json(months: reports).rendered())
            case .csv: print(MetricsReport.csv(months: reports), terminator: "")
            case .table: print(MetricsReport.table(months: reports), terminator: "")
            }
            return
        }
        let report = try await MetricsService.run(request, on: connection)
        report.warnings.forEach { StandardError.write(tr("ui.warning", ["message": $0.text()])) }
        switch format {
        case .json: print(report.json.rendered())
        case .csv: print(report.csv, terminator: "")
        case .table: print(report.table, terminator: "")
        }
    }
}
