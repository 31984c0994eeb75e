import ArgumentParser
import PostgresLibPQ
import VLedgerCore

/// Where the data lives; shared by every command that touches the database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            tr("help.database_options.databaseURL"),
            discussion: tr("help.database_options.databaseURL.discussion"),
            valueName: "url"
        )
    )
    var databaseURL: String?

    var locator: DatabaseLocator { DatabaseLocator(option: databaseURL) }

    /// Connects (starting the embedded database when it is the one in use) and applies pending migrations.
    func connect(migrate: Bool = true) async throws -> Connection {
        try await locator.connect(migrate: migrate, progress: { StandardError.write($0) })
    }
}

extension OutputFormat: ExpressibleByArgument {}
