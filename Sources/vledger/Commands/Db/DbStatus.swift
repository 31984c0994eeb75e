import ArgumentParser
import VLedgerCore

struct DbStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: tr("help.db_status.abstract")
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let locator = database.locator
        print("database: \(locator.displayName)")
        if let cluster = locator.embeddedCluster {
            let status = cluster.status()
            print("embedded server: \(status.running ? "running" : "stopped")\(status.pid.map { " (pid \($0))" } ?? "")")
        }
        let connection = try await database.connect(migrate: false)
        let server = try await connection.query("SELECT current_user, current_database(), current_setting('server_version')").single()
        print("connected as \(try server.decode(0, as: String.self)) to \(try server.decode(1, as: String.self)), PostgreSQL \(try server.decode(2, as: String.self))")
        let runner = MigrationRunner(directory: try MigrationRunner.locateDirectory())
        for migration in try await runner.status(on: connection) {
            print("  \(migration.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(migration.name)")
        }
    }
}
