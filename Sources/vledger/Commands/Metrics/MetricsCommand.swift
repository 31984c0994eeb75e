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
        tr("help.metrics.asRecordedAt"), valueName: "time"))
    var asRecordedAt: String?

    @Option(help: ArgumentHelp(tr("help.metrics.scope"), valueName: "scope"))
    var scope: String = MetricsScope.builtUp.rawValue

    @Option(help: ArgumentHelp(tr("help.metrics.format"), valueName: "format"))
    var format: SheetFormat = .table

    @OptionGroup var output: SheetOutputOptions

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

    @Option(name: .customLong("target-support-rate"), help: ArgumentHelp(tr("help.survey_report.target"), valueName: "ratio"))
    var targetSupportRate: String?

    func run() async throws {
        let targets = try MetricsTargets.with(
            registrationShare: targetRegistrationShare, participationRate: targetParticipationRate, hoursPerVolunteer: targetHours)
        var request = try MetricsRequest(
            year: year, asOf: asOf, asRecordedAt: asRecordedAt, scope: try MetricsScope.parse(scope), targets: targets)
        request.fromLedger = fromLedger
        request.supportTarget = try SupportRateReport.target(targetSupportRate)
        let grouping = by.flatMap(MetricsGrouping.init(rawValue:))
        if let by, by != "month", grouping == nil {
            throw RuleViolation(field: "by", value: by, code: "by_known")
        }
        try output.check(format)
        let connection = try await database.connect()
        if let grouping {
            let report = try await MetricsService.runGrouped(grouping, request, in: LedgerSession(connection))
            try output.emit(format, text: {
                switch format {
                case .json: return report.json.rendered() + "\n"
                case .csv: return report.csv
                case .table, .xlsx: return report.table
                }
            }, workbook: { report.workbook })
            return
        }
        if by == "month" {
            let reports = try await MetricsService.runByMonth(request, in: LedgerSession(connection))
            reports.last?.warnings.forEach { StandardError.write(tr("ui.warning", ["message": $0.text()])) }
            try output.emit(format, text: {
                switch format {
                case .json: return MetricsReport.json(months: reports).rendered() + "\n"
                case .csv: return MetricsReport.csv(months: reports)
                case .table, .xlsx: return MetricsReport.table(months: reports)
                }
            }, workbook: { MetricsReport.workbook(months: reports) })
            return
        }
        let report = try await MetricsService.run(request, in: LedgerSession(connection))
        report.warnings.forEach { StandardError.write(tr("ui.warning", ["message": $0.text()])) }
        try output.emit(format, text: {
            switch format {
            case .json: return report.json.rendered() + "\n"
            case .csv: return report.csv
            case .table, .xlsx: return report.table
            }
        }, workbook: { report.workbook })
    }
}
