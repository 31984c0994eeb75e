import ArgumentParser
import Foundation
import VLedgerCore

struct SurveyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey", abstract: tr("help.survey.abstract"),
        subcommands: [SurveyAdd.self, SurveyImport.self, SurveyImportResponses.self, SurveyList.self, SurveyReport.self, SurveyWithdraw.self])
}

struct SurveyAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: tr("help.survey_add.abstract"),
                                                    discussion: tr("help.survey_add.discussion"))

    @Option(help: ArgumentHelp(tr("help.survey_add.on"), valueName: "date")) var on: String
    @Option(help: ArgumentHelp(tr("help.survey_add.method"), valueName: "method")) var method: String
    @Option(help: ArgumentHelp(tr("help.survey_add.district"), valueName: "code")) var district: String
    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.survey_add.sample"), valueName: "n")) var sample: String
    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.survey_add.supportive"), valueName: "n")) var supportive: String
    @Option(help: ArgumentHelp(tr("help.survey_add.surveyor"))) var surveyor: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let id = try await SurveyWaves.add(on: on, method: method, district: district, sample: sample, supportive: supportive, surveyor: surveyor,
                                           in: LedgerSession(connection))
        print(id)
    }
}

struct SurveyImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: tr("help.survey_import.abstract"),
                                                    discussion: tr("help.survey_import.discussion"))

    @Argument(help: ArgumentHelp(tr("help.survey_import.file"))) var file: String
    @OptionGroup var importOptions: ImportFlags
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await ImportPrinter.run(importOptions, database) { options, session in
            try await SurveyWaves.importFile(URL(fileURLWithPath: file), options: options, in: session)
        }
    }
}

struct SurveyImportResponses: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import-responses", abstract: tr("help.survey_import_responses.abstract"),
                                                    discussion: tr("help.survey_import_responses.discussion"))

    @Argument(help: ArgumentHelp(tr("help.survey_import_responses.file"))) var file: String
    @OptionGroup var importOptions: ImportFlags
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await ImportPrinter.run(importOptions, database) { options, session in
            try await SurveyResponses.importFile(URL(fileURLWithPath: file), options: options, in: session)
        }
    }
}

struct SurveyList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: tr("help.survey_list.abstract"))

    @Option(help: ArgumentHelp(tr("help.survey_list.year"), valueName: "year")) var year: Int?
    @Option(help: ArgumentHelp(tr("help.org_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    static let header = ["id", "surveyed_on", "method", "district_code", "sample_size", "supportive", "surveyor", "answers", "withdrawn_at", "withdrawn_reason"]

    func run() async throws {
        let connection = try await database.connect()
        let waves = try await SurveyWaves.list(year: year, in: LedgerSession(connection))
        let rows = waves.map { [String($0.id), $0.surveyedOn.description, $0.method.rawValue, $0.districtCode, String($0.sample),
                                String($0.supportive), $0.surveyor ?? "", String($0.answers)] + $0.withdrawn.cells }
        switch format {
        case .csv: print(CSVWriter.document(header: Self.header, rows: rows), terminator: "")
        case .json:
            print(JSONValue.array(waves.map {
                .object([("id", .int($0.id)), ("surveyed_on", .string($0.surveyedOn.description)), ("method", .string($0.method.rawValue)),
                         ("district_code", .string($0.districtCode)), ("sample_size", .int($0.sample)), ("supportive", .int($0.supportive)),
                         ("surveyor", $0.surveyor.map { .string($0) } ?? .null), ("answers", .int($0.answers)),
                         ("withdrawn", $0.withdrawn.json)])
            }).rendered())
        case .table:
            var table = TextTable(header: Self.header, alignments: Self.header.indices.map { [0, 4, 5, 7].contains($0) ? .right : .left })
            table.context = "survey"
            for (wave, row) in zip(waves, rows) {
                var cells = row
                cells[2] = LanguageChoice.current == .zh ? wave.method.chinese : wave.method.rawValue
                table.append(cells)
            }
            print(table.rendered(), terminator: "")
        }
    }
}

struct SurveyReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: tr("help.survey_report.abstract"),
                                                    discussion: tr("help.survey_report.discussion"))

    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.metrics.year"), valueName: "year")) var year: Int
    @Option(name: .customLong("as-recorded-at"), help: ArgumentHelp(tr("help.metrics.asRecordedAt"), valueName: "time")) var asRecordedAt: String?
    @Option(help: ArgumentHelp(tr("help.metrics.scope"), valueName: "scope")) var scope: String = MetricsScope.builtUp.rawValue
    @Option(name: .customLong("target-support-rate"), help: ArgumentHelp(tr("help.survey_report.target"), valueName: "ratio"))
    var targetSupportRate: String?
    @Option(help: ArgumentHelp(tr("help.org_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let target = try SupportRateReport.target(targetSupportRate)
        let scope = try MetricsScope.parse(scope)
        let connection = try await database.connect()
        guard let report = try await SupportRateReport.run(year: year, asRecordedAt: asRecordedAt, scope: scope, target: target,
                                                           in: LedgerSession(connection)) else {
            throw UserFacingError.error(.notFound, "survey_none", ["year": String(year)])
        }
        report.warnings.forEach { StandardError.write(tr("ui.warning", ["message": $0])) }
        switch format {
        case .json: print(report.json.rendered())
        case .csv: print(report.csv, terminator: "")
        case .table: print(report.table, terminator: "")
        }
    }
}
