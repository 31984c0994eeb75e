import ArgumentParser
import VLedgerCore

extension StatementFormat: ExpressibleByArgument {}

struct StatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "Issue a volunteer's service-hours statement (志愿服务证明), numbered and recorded.",
        discussion: """
            Lists the approved hours of the period by activity, with the volunteer's name, ID type and masked ID \
            number, the star level by cumulative approved hours up to --to (thresholds from the setting \
            star_thresholds_hours), the issuer and a statement number YYYY-nnnnnn, sequential per year of issue. \
            Every statement issued is stored and can be printed again with --reprint NUMBER.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("Volunteer number (VL…) or ID number.", valueName: "volunteer"))
    var volunteer: String?

    @Option(help: ArgumentHelp("First day of the period (YYYY-MM-DD). Default: the registration date.", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("Last day of the period (YYYY-MM-DD), not after today. Default: today.", valueName: "date"))
    var to: String?

    @Option(help: ArgumentHelp("Who issues the statement. Default: the database login.", valueName: "name"))
    var issuer: String?

    @Option(help: ArgumentHelp("text or json.", valueName: "format"))
    var format: StatementFormat = .text

    @Option(help: ArgumentHelp("Print an issued statement again, exactly as issued.", valueName: "number"))
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
