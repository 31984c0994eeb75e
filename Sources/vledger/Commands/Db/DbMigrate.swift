import ArgumentParser
import VLedgerCore

struct DbMigrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: tr("help.db_migrate.abstract")
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect(migrate: false)
        let runner = MigrationRunner(directory: try MigrationRunner.locateDirectory())
        let applied = try await runner.migrate(on: connection, progress: { StandardError.write($0) })
        StandardError.write(applied.isEmpty ? tr("ui.db.up_to_date") : tr("ui.db.applied_count", ["count": String(applied.count)]))
    }
}
