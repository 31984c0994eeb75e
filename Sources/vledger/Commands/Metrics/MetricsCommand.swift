import ArgumentParser
import VLedgerCore

struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "The three volunteer indicators of a year per district and for the city, against the targets.",
        discussion: """
            registration_share = R / P, participation_rate = A / R, hours_per_volunteer = H / R, where for year Y \
            and reference date D (--as-of, default Y-12-31, any day from Y-01-01 on): R = volunteers registered on D \
            and not deregistered on or before D, in their district on D; A = those of R with net approved minutes > 0 \
            over entries whose service starts in Y (city time zone) and on or before D; H = those minutes / 60; \
            P = the district's residents for Y. A zero denominator gives null. Targets are compared exactly; ratios \
            print with four decimals and hours with two, rounded half up. The city row sums the built-up districts \
            (--scope all: every district). --as-recorded-at T ignores every record made after T.
            """
    )

    @OptionGroup var database: DatabaseOptions

    // Unconditional: "--year -5" reaches the year rule instead of "Missing value".
    @Option(parsing: .unconditional, help: ArgumentHelp("The year (1949–9998).", valueName: "year"))
    var year: Int

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Reference date D (YYYY-MM-DD, on or after Y-01-01). Default: Y-12-31.", valueName: "date"))
    var asOf: String?

    @Option(name: .customLong("as-recorded-at"), help: ArgumentHelp(
        "Figures as the records stood at this time (2020-03-01T12:00:00+08:00 or 2020-03-01 12:00 city time).", valueName: "time"))
    var asRecordedAt: String?

    @Option(help: ArgumentHelp("built_up (the city row sums the built-up districts) or all.", valueName: "scope"))
    var scope: String = MetricsScope.builtUp.rawValue

    @Option(help: ArgumentHelp("table, json or csv.", valueName: "format"))
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp("month: cumulative figures at the end of each month of the year.", valueName: "period"))
    var by: String?

    @Option(name: .customLong("target-registration-share"), help: ArgumentHelp("Target share of residents, in (0, 1]. Default 0.13.", valueName: "ratio"))
    var targetRegistrationShare: String?

    @Option(name: .customLong("target-participation-rate"), help: ArgumentHelp("Target share of volunteers active, in (0, 1]. Default 0.70.", valueName: "ratio"))
    var targetParticipationRate: String?

    @Option(name: .customLong("target-hours"), help: ArgumentHelp("Target hours per registered volunteer, ≥ 0. Default 25.", valueName: "hours"))
    var targetHours: String?

    @Flag(name: .customLong("from-ledger"), help: "Sum the ledger's entries directly instead of the yearly rollup (slower; same figures).")
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
            reports.last?.warnings.forEach { StandardError.write("warning: \($0.message)") }
            switch format {
            case .json: print(MetricsReport.json(months: reports).rendered())
            case .csv: print(MetricsReport.csv(months: reports), terminator: "")
            case .table: print(MetricsReport.table(months: reports), terminator: "")
            }
            return
        }
        let report = try await MetricsService.run(request, on: connection)
        report.warnings.forEach { StandardError.write("warning: \($0.message)") }
        switch format {
        case .json: print(report.json.rendered())
        case .csv: print(report.csv, terminator: "")
        case .table: print(report.table, terminator: "")
        }
    }
}
