import ArgumentParser
import Foundation
import VLedgerCore

struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evidence", abstract: tr("help.evidence.abstract"),
                                                    discussion: tr("help.evidence.discussion"))

    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.metrics.year"), valueName: "year")) var year: Int
    @Option(help: ArgumentHelp(tr("help.evidence.visit"), valueName: "date")) var visit: String?
    @Option(name: .customLong("as-recorded-at"), help: ArgumentHelp(tr("help.evidence.asRecordedAt"), valueName: "time")) var asRecordedAt: String?
    @Option(help: ArgumentHelp(tr("help.metrics.scope"), valueName: "scope")) var scope: String = MetricsScope.builtUp.rawValue
    @Option(help: ArgumentHelp(tr("help.evidence.out"), valueName: "folder")) var out: String
    @Option(name: .customLong("target-registration-share"), help: ArgumentHelp(tr("help.metrics.targetRegistrationShare"), valueName: "ratio"))
    var targetRegistrationShare: String?
    @Option(name: .customLong("target-participation-rate"), help: ArgumentHelp(tr("help.metrics.targetParticipationRate"), valueName: "ratio"))
    var targetParticipationRate: String?
    @Option(name: .customLong("target-hours"), help: ArgumentHelp(tr("help.metrics.targetHours"), valueName: "hours"))
    var targetHours: String?
    @Option(name: .customLong("target-support-rate"), help: ArgumentHelp(tr("help.survey_report.target"), valueName: "ratio"))
    var targetSupportRate: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let request = try EvidenceRequest(
            year: year, visit: visit, asRecordedAt: asRecordedAt, scope: try MetricsScope.parse(scope),
            targets: try MetricsTargets.with(registrationShare: targetRegistrationShare, participationRate: targetParticipationRate,
                                             hoursPerVolunteer: targetHours),
            supportTarget: try SupportRateReport.target(targetSupportRate))
        let connection = try await database.connect()
        let files = try await EvidencePack.build(request, in: LedgerSession(connection)) { StandardError.write($0) }
        try EvidencePack.write(files, to: out)
        for file in files { StandardError.write(tr("ui.evidence.wrote", ["file": file.name, "bytes": String(file.bytes.count)])) }
        StandardError.write(tr("ui.evidence.done", ["folder": out, "count": String(files.count)]))
    }
}
