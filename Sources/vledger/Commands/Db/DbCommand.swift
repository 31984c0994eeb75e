import ArgumentParser
import VLedgerCore

struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: tr("help.db.abstract"),
        subcommands: [DbMigrate.self, DbStatus.self, DbStop.self]
    )
}
