import ArgumentParser
import VLedgerCore

struct OrgCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "org",
        abstract: tr("help.org.abstract"),
        subcommands: [OrgAdd.self, OrgList.self, OrgShow.self, OrgStatus.self, OrgAddOrganiser.self, OrgJoin.self, OrgLeave.self, OrgImport.self, OrgImportMembers.self]
    )
}

struct OrgAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: tr("help.org_add.abstract"), discussion: tr("help.org_add.discussion"))

    @Option(help: ArgumentHelp(tr("help.org_add.name"))) var name: String
    @Option(help: ArgumentHelp(tr("help.org_add.kind"))) var kind: String
    @Option(help: ArgumentHelp(tr("help.org_add.field"))) var field: String?
    @Option(name: .customLong("credit-code"), help: ArgumentHelp(tr("help.org_add.creditCode"))) var creditCode: String?
    @Option(help: ArgumentHelp(tr("help.org_add.parent"))) var parent: String?
    @Option(help: ArgumentHelp(tr("help.org_add.district"))) var district: String
    @Option(help: ArgumentHelp(tr("help.org_add.founded"), valueName: "date")) var founded: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let new = NewOrganisation(name: name, kind: kind, field: field, creditCode: creditCode, parent: parent, district: district, foundedOn: founded)
        let connection = try await database.connect()
        let id = try await Organisations.add(new, in: LedgerSession(connection))
        print(id)
    }
}

struct OrgList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: tr("help.org_list.abstract"))

    @Option(help: ArgumentHelp(tr("help.org_list.district"))) var district: String?
    @Option(help: ArgumentHelp(tr("help.org_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    static let header = ["id", "name", "kind", "field", "credit_code", "parent", "district", "founded_on", "status", "members"]

    static func fields(_ o: Organisation, people: Bool) -> [String] {
        [String(o.id), o.name, people ? tr("ui.org.kind.\(o.kind)") : o.kind, o.field ?? "", o.creditCode ?? "", o.parentID.map(String.init) ?? "",
         o.districtCode, o.foundedOn.description, people ? tr("ui.org.status.\(o.status)") : o.status, String(o.members)]
    }

    static func json(_ o: Organisation) -> JSONValue {
        .object([("id", .int(o.id)), ("name", .string(o.name)), ("kind", .string(o.kind)), ("field", o.field.map { .string($0) } ?? .null),
                 ("credit_code", o.creditCode.map { .string($0) } ?? .null), ("parent", o.parentID.map { .int($0) } ?? .null),
                 ("district", .string(o.districtCode)), ("founded_on", .string(o.foundedOn.description)), ("status", .string(o.status)),
                 ("members", .int(o.members))])
    }

    static func table(_ rows: [Organisation]) -> String {
        var table = TextTable(header: header, alignments: header.indices.map { [0, 9].contains($0) ? .right : .left })
        table.context = "org"
        rows.forEach { table.append(fields($0, people: true)) }
        return table.rendered()
    }

    func run() async throws {
        let connection = try await database.connect()
        let rows = try await Organisations.list(district: district, in: LedgerSession(connection))
        switch format {
        case .table: print(Self.table(rows), terminator: "")
        case .csv: print(CSVWriter.document(header: Self.header, rows: rows.map { Self.fields($0, people: false) }), terminator: "")
        case .json: print(JSONValue.array(rows.map(Self.json)).rendered())
        }
    }
}

struct OrgShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: tr("help.org_show.abstract"))

    @Argument(help: ArgumentHelp(tr("help.org.org"))) var org: String
    @Option(help: ArgumentHelp(tr("help.org_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let shown = try await Organisations.show(org, in: LedgerSession(connection))
        if format == .json {
            guard case .object(var pairs) = OrgList.json(shown.organisation) else { return }
            pairs.append(("statuses", .array(shown.statuses.map {
                .object([("status", .string($0.status)), ("on", .string($0.effectiveOn.description)), ("reason", $0.reason.map { .string($0) } ?? .null)])
            })))
            pairs.append(("memberships", .array(shown.members.map {
                .object([("number", .string($0.number)), ("name", .string($0.name)), ("joined_on", .string($0.joinedOn.description)),
                         ("left_on", $0.leftOn.map { .string($0.description) } ?? .null)])
            })))
            pairs.append(("organisers", .array(shown.organisers.map { .string($0) })))
            print(JSONValue.object(pairs).rendered())
            return
        }
        print(OrgList.table([shown.organisation]), terminator: "")
        if !shown.statuses.isEmpty {
            var statuses = TextTable(header: ["status", "effective_on", "reason"])
            shown.statuses.forEach { statuses.append([tr("ui.org.status.\($0.status)"), $0.effectiveOn.description, $0.reason ?? ""]) }
            print("\n" + statuses.rendered(), terminator: "")
        }
        var members = TextTable(header: ["number", "name", "joined_on", "left_on"])
        shown.members.forEach { members.append([$0.number, $0.name, $0.joinedOn.description, $0.leftOn?.description ?? ""]) }
        print("\n" + members.rendered(), terminator: "")
        if !shown.organisers.isEmpty {
            print("\n" + tr("ui.org.organisers", ["logins": shown.organisers.joined(separator: ", ")]))
        }
    }
}

struct OrgStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: tr("help.org_status.abstract"))

    @Argument(help: ArgumentHelp(tr("help.org.org"))) var org: String
    @Option(help: ArgumentHelp(tr("help.org_status.status"))) var status: String
    @Option(help: ArgumentHelp(tr("help.org_status.on"), valueName: "date")) var on: String
    @Option(help: ArgumentHelp(tr("help.org_status.reason"))) var reason: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        try await Organisations.setStatus(org, status: status, on: on, reason: reason, in: LedgerSession(connection))
        StandardError.write(tr("ui.org.status_recorded", ["org": org, "on": on]))
    }
}

struct OrgAddOrganiser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-organiser", abstract: tr("help.org_add_organiser.abstract"))

    @Argument(help: ArgumentHelp(tr("help.org.org"))) var org: String
    @Argument(help: ArgumentHelp(tr("help.org_add_organiser.login"))) var login: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        try await Organisations.addOrganiser(org, login: login, in: LedgerSession(connection))
        StandardError.write(tr("ui.org.organiser_added", ["org": org, "login": login]))
    }
}

struct OrgJoin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "join", abstract: tr("help.org_join.abstract"))

    @Argument(help: ArgumentHelp(tr("help.org.org"))) var org: String
    @Argument(help: ArgumentHelp(tr("help.org_join.volunteer"))) var volunteer: String
    @Option(help: ArgumentHelp(tr("help.org_join.on"), valueName: "date")) var on: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        try await Organisations.join(org, volunteer: volunteer, on: on, in: LedgerSession(connection))
        StandardError.write(tr("ui.org.joined", ["org": org, "volunteer": volunteer, "on": on]))
    }
}

struct OrgLeave: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "leave", abstract: tr("help.org_leave.abstract"))

    @Argument(help: ArgumentHelp(tr("help.org.org"))) var org: String
    @Argument(help: ArgumentHelp(tr("help.org_join.volunteer"))) var volunteer: String
    @Option(help: ArgumentHelp(tr("help.org_leave.on"), valueName: "date")) var on: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        try await Organisations.leave(org, volunteer: volunteer, on: on, in: LedgerSession(connection))
        StandardError.write(tr("ui.org.left", ["org": org, "volunteer": volunteer, "on": on]))
    }
}

struct OrgImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: tr("help.org_import.abstract"), discussion: tr("help.org_import.discussion"))

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.org_import.file"))) var file: String
    @OptionGroup var importOptions: ImportFlags

    func run() async throws {
        let connection = try await database.connect()
        let options = importOptions.options
        let format = importOptions.format
        try await ImportPrinter.run(format: format, out: importOptions.out) {
            let (ids, outcome) = try await Organisations.importFile(file, options: options, in: LedgerSession(connection))
            if format == .none { ids.forEach { print($0) } }
            return outcome
        }
    }
}

struct OrgImportMembers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-members", abstract: tr("help.org_import_members.abstract"), discussion: tr("help.org_import.discussion"))

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.org_import.file"))) var file: String
    @OptionGroup var importOptions: ImportFlags

    func run() async throws {
        let connection = try await database.connect()
        let options = importOptions.options
        let format = importOptions.format
        try await ImportPrinter.run(format: format, out: importOptions.out) {
            let (ids, outcome) = try await Organisations.importMembers(file, options: options, in: LedgerSession(connection))
            if format == .none { ids.forEach { print($0) } }
            return outcome
        }
    }
}
