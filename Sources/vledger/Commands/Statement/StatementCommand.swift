import ArgumentParser
import VLedgerCore

extension StatementFormat: ExpressibleByArgument {}

/// `vledger statement VOLUNTEER …` issues (the default subcommand, so the documented form keeps
/// working); `vledger statement verify NUMBER` checks an issued one. A volunteer is a volunteer
/// number (VL…) or an 18-character ID number, so the word `verify` is never one.
struct StatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: tr("help.statement.abstract"),
        subcommands: [StatementIssue.self, StatementVerify.self],
        defaultSubcommand: StatementIssue.self
    )
}

struct StatementIssue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: tr("help.statement_issue.abstract"),
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
            throw ValidationError(tr("error.usage_statement_volunteer"))
        }
        if reprint != nil && (volunteer != nil || from != nil || to != nil || issuer != nil) {
            throw ValidationError(tr("error.usage_statement_reprint"))
        }
    }

    func run() async throws {
        let connection = try await database.connect()
        if let reprint {
            print(try await StatementService.reprint(number: reprint, format: format, in: LedgerSession(connection)), terminator: "")
            return
        }
        let (volunteer, from, to, issuer) = (self.volunteer ?? "", self.from, self.to, self.issuer)
        let statement = try await StatementService.issue(volunteer: volunteer, from: from, to: to, issuer: issuer, in: LedgerSession(connection))
        switch format {
        case .json: print(statement.json.rendered())
        case .text: print(statement.text, terminator: "")
        }
    }
}

struct StatementVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: tr("help.statement_verify.abstract"),
        discussion: tr("help.statement_verify.discussion")
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp(tr("help.statement_verify.number"), valueName: "number"))
    var number: String

    @Option(help: ArgumentHelp(tr("help.statement_verify.format"), valueName: "format"))
    var format: StatementFormat = .text

    func run() async throws {
        let connection = try await database.connect()
        let number = self.number
        let result = try await StatementService.verify(number: number, in: LedgerSession(connection))
        switch format {
        case .json: print(result.json.rendered())
        case .text:
            if result.found {
                let hours = result.hours ?? "-"
                print(tr(result.valid ? "ui.statement.verify_valid" : "ui.statement.verify_invalid", [
                    "number": result.number, "name": result.maskedName ?? "-", "from": result.from.map(\.description) ?? "-",
                    "to": result.to.map(\.description) ?? "-", "hours": hours,
                ]) + (result.problem.map { " — " + StatementProblemText.localized($0) } ?? ""))
            }
        }
        if !result.valid {
            throw UserFacingError.error(.conflict, "statement_invalid", ["number": result.number,
                                                                         "problem": result.problem.map { StatementProblemText.localized($0) }
                                                                             ?? tr("ui.statement.problem.activities")])
        }
    }
}
