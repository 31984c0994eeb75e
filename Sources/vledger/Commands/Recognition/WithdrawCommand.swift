import ArgumentParser
import VLedgerCore

/// `survey withdraw`, `award withdraw` and `evaluation withdraw`: one shape, three kinds (0263).
struct WithdrawArguments: ParsableArguments {
    @Argument(help: ArgumentHelp(tr("help.withdraw.id"), valueName: "id")) var id: String
    @Option(help: ArgumentHelp(tr("help.withdraw.reason"))) var reason: String
    @OptionGroup var database: DatabaseOptions

    func run(_ kind: WithdrawalKind) async throws {
        let connection = try await database.connect()
        try await Withdrawals.withdraw(kind, id: id, reason: reason, in: LedgerSession(connection))
        print(tr("ui.withdrawn.\(kind.rawValue)", ["id": id.trimmingCharacters(in: .whitespaces)]))
    }
}

struct SurveyWithdraw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw", abstract: tr("help.survey_withdraw.abstract"),
                                                    discussion: tr("help.survey_withdraw.discussion"))
    @OptionGroup var arguments: WithdrawArguments
    func run() async throws { try await arguments.run(.wave) }
}

struct AwardWithdraw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw", abstract: tr("help.award_withdraw.abstract"),
                                                    discussion: tr("help.award_withdraw.discussion"))
    @OptionGroup var arguments: WithdrawArguments
    func run() async throws { try await arguments.run(.award) }
}

struct EvaluationWithdraw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw", abstract: tr("help.evaluation_withdraw.abstract"),
                                                    discussion: tr("help.evaluation_withdraw.discussion"))
    @OptionGroup var arguments: WithdrawArguments
    func run() async throws { try await arguments.run(.evaluation) }
}

extension Optional where Wrapped == Withdrawal {
    /// A listing's last two columns: when it was withdrawn and why (empty while it stands).
    var cells: [String] { [self?.at ?? "", self?.reason ?? ""] }
    var json: JSONValue { self?.json ?? .null }
}
