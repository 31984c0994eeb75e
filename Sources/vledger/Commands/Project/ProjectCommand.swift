import ArgumentParser
import VLedgerCore

struct ProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project", abstract: tr("help.project.abstract"), subcommands: [ProjectAdd.self, ProjectList.self, ProjectReportCommand.self])
}

struct ProjectAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: tr("help.project_add.abstract"), discussion: tr("help.project_add.discussion"))

    @Option(help: ArgumentHelp(tr("help.project_add.name"))) var name: String
    @Option(help: ArgumentHelp(tr("help.project_add.plan"))) var plan: String
    @Option(help: ArgumentHelp(tr("help.project_add.district"))) var district: String
    @Option(help: ArgumentHelp(tr("help.project_add.org"))) var org: String
    @Option(help: ArgumentHelp(tr("help.project_add.from"), valueName: "date")) var from: String
    @Option(help: ArgumentHelp(tr("help.project_add.to"), valueName: "date")) var to: String
    @Option(name: .customLong("target-volunteers"), help: ArgumentHelp(tr("help.project_add.targetVolunteers"))) var targetVolunteers: String
    @Option(name: .customLong("target-hours"), help: ArgumentHelp(tr("help.project_add.targetHours"))) var targetHours: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let id = try await Projects.add(name: name, plan: plan, district: district, organisation: org, from: from, to: to,
                                        targetVolunteers: targetVolunteers, targetHours: targetHours, in: LedgerSession(connection))
        print(id)
    }
}

struct ProjectList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: tr("help.project_list.abstract"))

    @Option(help: ArgumentHelp(tr("help.org_list.district"))) var district: String?
    @Option(help: ArgumentHelp(tr("help.org_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let rows = try await Projects.list(district: district, in: LedgerSession(connection))
        let header = ["id", "name", "district", "org", "from", "to", "target_volunteers", "target_hours"]
        let fields = rows.map { [String($0.id), $0.name, $0.districtCode, $0.organisation, $0.startsOn.description, $0.endsOn.description,
                                 String($0.targetVolunteers), HoursListing.hours($0.targetMinutes)] }
        switch format {
        case .csv: print(CSVWriter.document(header: header, rows: fields), terminator: "")
        case .table:
            var table = TextTable(header: header)
            table.context = "project"
            fields.forEach { table.append($0) }
            print(table.rendered(), terminator: "")
        case .json:
            print(JSONValue.array(rows.map {
                .object([("id", .int($0.id)), ("name", .string($0.name)), ("plan", .string($0.plan)), ("district", .string($0.districtCode)),
                         ("org", .int($0.organisationID)), ("from", .string($0.startsOn.description)), ("to", .string($0.endsOn.description)),
                         ("target_volunteers", .int($0.targetVolunteers)), ("target_minutes", .int($0.targetMinutes))])
            }).rendered())
        }
    }
}

struct ProjectReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: tr("help.project_report.abstract"))

    @Argument(help: ArgumentHelp(tr("help.project_report.project"))) var project: String
    @Option(name: .customLong("as-recorded-at"), help: ArgumentHelp(tr("help.metrics.asRecordedAt"), valueName: "time")) var asRecordedAt: String?
    @Option(help: ArgumentHelp(tr("help.org_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let report = try await Projects.report(project, asRecordedAt: asRecordedAt, in: LedgerSession(connection))
        let p = report.project
        switch format {
        case .json:
            var pairs: [(String, JSONValue)] = [
                ("project", .int(p.id)), ("name", .string(p.name)), ("district", .string(p.districtCode)), ("org", .int(p.organisationID)),
                ("from", .string(p.startsOn.description)), ("to", .string(p.endsOn.description)),
                ("activities", .array(report.activities.map {
                    .object([("id", .int($0.id)), ("title", .string($0.title)), ("starts", .string($0.startsAt)),
                             ("volunteers", .int($0.volunteers)), ("approved_minutes", .int($0.approvedMinutes))])
                })),
                ("volunteers", .int(report.volunteers)), ("target_volunteers", .int(p.targetVolunteers)),
                ("volunteers_share_of_target", MetricsRatio.json(report.volunteers, p.targetVolunteers)),
                ("approved_minutes", .int(report.approvedMinutes)), ("target_minutes", .int(p.targetMinutes)),
                ("minutes_share_of_target", MetricsRatio.json(report.approvedMinutes, p.targetMinutes)),
            ]
            if let at = report.asRecordedAt { pairs.append(("as_recorded_at", .string(at))) }
            print(JSONValue.object(pairs).rendered())
        case .csv:
            let header = ["activity", "title", "starts", "volunteers", "approved_minutes"]
            print(CSVWriter.document(header: header, rows: report.activities.map { [String($0.id), $0.title, $0.startsAt, String($0.volunteers), String($0.approvedMinutes)] }),
                  terminator: "")
        case .table:
            print(tr("ui.project.heading", ["name": p.name, "org": p.organisation, "from": p.startsOn.description, "to": p.endsOn.description]))
            var table = TextTable(header: ["activity", "title", "starts", "volunteers", "approved_hours"], alignments: [.right, .left, .left, .right, .right])
            report.activities.forEach { table.append([String($0.id), $0.title, $0.startsAt, String($0.volunteers), HoursListing.hours($0.approvedMinutes)]) }
            print(table.rendered(), terminator: "")
            print(tr("ui.project.totals", [
                "volunteers": String(report.volunteers), "target_volunteers": String(p.targetVolunteers),
                "hours": HoursListing.hours(report.approvedMinutes), "target_hours": HoursListing.hours(p.targetMinutes),
                "minutes": String(report.approvedMinutes), "target_minutes": String(p.targetMinutes)]))
            if let at = report.asRecordedAt { print(tr("ui.project.as_recorded", ["at": at])) }
        }
    }
}
