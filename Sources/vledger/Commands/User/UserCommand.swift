import ArgumentParser
import VLedgerCore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: tr("help.user.abstract"),
        discussion: tr("help.user.discussion"),
        subcommands: [UserAdd.self, UserList.self, UserSessions.self]
    )
}
