import ArgumentParser
import VLedgerCore

extension StatementFormat: ExpressibleByArgument {}

struct StatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: tr("help.statement.abstract"),
        discussion: tr("help.statement.discussion")
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp(tr("help.statement.volunteer"), valueName: "volunteer"))
    var volunteer: String?

    @Option(help: ArgumentHelp(tr("help.statement.from"), valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp(tr("help.statement.to"), valueName: "date"))
    var to: String?

    @Option(help: ArgumentHelp(tr("help.statement.issuer"), valueName: "name"))
    var issuer: String?

    @Option(help: ArgumentHelp(tr("help.statement.format"), valueName: "format"))
    var format: StatementFormat = .text

    @Option(help: ArgumentHelp(tr("help.statement.reprint"), valueName: "number"))
    var reprint: String?

    func validate() throws {
        if reprint == nil && volunteer == nil {
            throw ValidationError("give a VOLUNTEER (volunteer number or ID number), or --reprint NUMBER")
        }
        if reprint != nil && (volunteer != nil || from != nil || to != nil || issuer != nil) {
            throw ValidationError("--reprint prints a statement already issued: give no VOLUNTEER, --from, --to or --issuer with it")
        }
    }

    func run() async throws {
        let connection = try await database.connect()
        if let reprint {
            let format = self.format
            print(try await connection.withIsolated { db in try StatementService.reprint(number: reprint, format: format, on: db) }, terminator: "")
            return
        }
        let (volunteer, from, to, issuer) = (self.volunteer ?? "", self.from, self.to, self.issuer)
        let statement = try await connection.transaction { db in
            try StatementService.issue(volunteer: volunteer, from: from, to: to, issuer: issuer, on: db)
        }
        switch format {
        case .json: print(statement.json.rendered())
        case .text: print(statement.text, terminator: "")
        }
    }
}
