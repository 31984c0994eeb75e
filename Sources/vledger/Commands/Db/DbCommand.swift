import ArgumentParser

struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Set up, inspect and stop the database.",
        subcommands: [DbMigrate.self, DbStatus.self, DbStop.self]
    )
}
