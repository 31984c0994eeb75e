import ArgumentParser
import VLedgerCore

extension StatementFormat: ExpressibleByArgument {}

/// `vledger statement VOLUNTEER …` issues (the default subcommand, so the documented form keeps
/// working); `vledger statement verify NUMBER` checks an issued one. A volunteer is a volunteer
/// number (VL…) or an 18-character ID number, so the word `verify` is never one.
struct StatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "Issue a volunteer's service-hours statement (志愿服务证明), numbered and recorded; or verify one.",
        subcommands: [StatementIssue.self, StatementVerify.self],
        defaultSubcommand: StatementIssue.self
    )
}

struct StatementIssue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a volunteer's service-hours statement (志愿服务证明), numbered and recorded.",
        discussion: """
            Lists the approved hours of the period by activity, with the volunteer's name, ID type and masked ID \
            number, the star level by cumulative approved hours up to --to (thresholds from the setting \
            star_thresholds_hours), the issuer and a statement number YYYY-nnnnnn, sequential per year of issue. \
            The database computes the figures from the ledger and stores them (vl_statement_issue); every \
            statement issued can be printed again with --reprint NUMBER and checked with `statement verify NUMBER`. \
            `vledger statement VOLUNTEER` is the same as `vledger statement issue VOLUNTEER`.
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

struct StatementVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an issued statement against the ledger as it stood when it was issued; exit 0 only when valid.",
        discussion: """
            Replays the statement at the moment it was issued (entries recorded and decisions made by then, the \
            time zone and star thresholds of that moment, the volunteer's name then) and compares the totals, \
            activities and star level with what was issued, and the stored statement with its record in the audit \
            trail. Later approvals and corrections do not make a statement invalid. Prints the number, the masked \
            name, the period and the hours; --format json prints what the public check shows \
            ({valid, number, name, period, hours}, plus the problem when invalid).
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("The statement number, YYYY-nnnnnn.", valueName: "number"))
    var number: String

    @Option(help: ArgumentHelp("text or json.", valueName: "format"))
    var format: StatementFormat = .text

    func run() async throws {
        let connection = try await database.connect()
        let number = self.number
        let result = try await connection.transaction(isolation: .repeatableRead, readOnly: true) { db in
            try StatementService.verify(number: number, on: db)
        }
        switch format {
        case .json: print(result.json.rendered())
        case .text:
            if result.found {
                let hours = result.hours ?? "-"
                print("statement \(result.number) \(result.valid ? "valid" : "INVALID"): \(result.maskedName ?? "-"), "
                    + "\(result.from.map(\.description) ?? "-") to \(result.to.map(\.description) ?? "-"), \(hours) hours"
                    + (result.problem.map { " — \($0)" } ?? ""))
            }
        }
        if !result.valid {
            throw VLedgerError.refused("statement \(result.number) is not valid: \(result.problem ?? "it does not match the ledger")")
        }
    }
}
