import ArgumentParser
import VLedgerCore

struct TrainingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training", abstract: tr("help.training.abstract"),
        subcommands: [TrainingAdd.self, TrainingAttend.self, TrainingImport.self, TrainingList.self, TrainingExpiring.self])
}

struct TrainingAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: tr("help.training_add.abstract"),
                                                    discussion: tr("help.training_add.discussion"))

    @Option(help: ArgumentHelp(tr("help.training_add.name"))) var name: String
    @Option(help: ArgumentHelp(tr("help.training_add.content"))) var content: String
    @Option(help: ArgumentHelp(tr("help.training_add.hours"))) var hours: String
    @Option(help: ArgumentHelp(tr("help.training_add.organiser"))) var organiser: String
    @Option(help: ArgumentHelp(tr("help.training_add.org"))) var org: String?
    @Option(help: ArgumentHelp(tr("help.training_add.on"), valueName: "date")) var on: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let id = try await Training.addCourse(name: name, content: content, hours: hours, organiser: organiser, organisation: org, on: on,
                                              in: LedgerSession(connection))
        print(id)
    }
}

struct TrainingAttend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attend", abstract: tr("help.training_attend.abstract"))

    @Argument(help: ArgumentHelp(tr("help.training_attend.course"))) var course: String
    @Argument(help: ArgumentHelp(tr("help.org_join.volunteer"))) var volunteer: String
    @Option(help: ArgumentHelp(tr("help.training_attend.hours"))) var hours: String?
    @Option(help: ArgumentHelp(tr("help.training_attend.certificate"))) var certificate: String?
    @Option(help: ArgumentHelp(tr("help.training_attend.expires"), valueName: "date")) var expires: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        try await Training.attend(course: course, volunteer: volunteer, hours: hours, certificate: certificate, expires: expires,
                                  in: LedgerSession(connection))
        StandardError.write(tr("ui.training.attended", ["volunteer": volunteer, "course": course]))
    }
}

enum TrainingOutput {
    static let header = ["course", "name", "held_on", "number", "volunteer", "study_hours", "certificate", "expires_on"]

    static func render(_ rows: [TrainingAttendanceRow], format: OutputFormat) -> String {
        let fields = rows.map { [String($0.courseID), $0.course, $0.heldOn.description, $0.number, $0.name, HoursListing.hours(Int64($0.studyMinutes)),
                                 $0.certificateNumber ?? "", $0.certificateExpiresOn?.description ?? ""] }
        switch format {
        case .csv: return CSVWriter.document(header: header, rows: fields)
        case .table:
            var table = TextTable(header: header, alignments: header.indices.map { [0, 5].contains($0) ? .right : .left })
            table.context = "training"
            fields.forEach { table.append($0) }
            return table.rendered()
        case .json:
            return JSONValue.array(rows.map {
                .object([("course", .int($0.courseID)), ("name", .string($0.course)), ("held_on", .string($0.heldOn.description)),
                         ("number", .string($0.number)), ("volunteer", .string($0.name)), ("study_minutes", .int(Int64($0.studyMinutes))),
                         ("certificate", $0.certificateNumber.map { .string($0) } ?? .null),
                         ("expires_on", $0.certificateExpiresOn.map { .string($0.description) } ?? .null)])
            }).rendered() + "\n"
        }
    }
}

struct TrainingList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: tr("help.training_list.abstract"))

    @Option(help: ArgumentHelp(tr("help.training_list.volunteer"))) var volunteer: String?
    @Option(help: ArgumentHelp(tr("help.org_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let rows = try await Training.attendance(volunteer: volunteer, in: LedgerSession(connection))
        print(TrainingOutput.render(rows, format: format), terminator: "")
    }
}

struct TrainingExpiring: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "expiring", abstract: tr("help.training_expiring.abstract"))

    @Option(help: ArgumentHelp(tr("help.training_expiring.within"))) var within: Int = 90
    @Option(help: ArgumentHelp(tr("help.training_expiring.on"), valueName: "date")) var on: String?
    @Option(help: ArgumentHelp(tr("help.org_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let rows = try await Training.expiring(withinDays: within, from: on, in: LedgerSession(connection))
        print(TrainingOutput.render(rows, format: format), terminator: "")
    }
}

struct TrainingImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: tr("help.training_import.abstract"), discussion: tr("help.training_import.discussion"))

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.org_import.file"))) var file: String
    @OptionGroup var importOptions: ImportFlags

    func run() async throws {
        let connection = try await database.connect()
        let options = importOptions.options
        let format = importOptions.format
        try await ImportPrinter.run(format: format, out: importOptions.out) {
            let (ids, outcome) = try await Training.importAttendance(file, options: options, in: LedgerSession(connection))
            if format == .none { ids.forEach { print($0) } }
            return outcome
        }
    }
}
