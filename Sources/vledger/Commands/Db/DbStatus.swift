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
        print(tr("ui.db.database", ["name": locator.displayName]))
        var wasRunning = true
        if let cluster = locator.embeddedCluster {
            let status = cluster.status()
            wasRunning = status.running
            if status.running {
                print(tr("ui.db.running", ["pid": status.pid.map(String.init) ?? "?"]))
            } else {
                // Connecting starts it (and creates it on a fresh home): say so before the wait.
                print(tr(status.initialized ? "ui.db.stopped_starting" : "ui.db.new_starting"))
            }
        }
        let connection = try await database.connect(migrate: false)
        if let cluster = locator.embeddedCluster, !wasRunning {
            print(tr("ui.db.running", ["pid": cluster.status().pid.map(String.init) ?? "?"]))
        }
        let server = try await connection.query("SELECT current_user, current_database(), current_setting('server_version')").single()
        print(tr("ui.db.connected", ["login": try server.decode(0, as: String.self), "database": try server.decode(1, as: String.self),
                                     "version": try server.decode(2, as: String.self)]))
        let runner = MigrationRunner(directory: try MigrationRunner.locateDirectory())
        for migration in try await runner.status(on: connection) {
            let state = tr("ui.db.migration.\(migration.state.rawValue)")
            let width = TextTable.displayWidth(state)
            print("  \(state)\(String(repeating: " ", count: max(1, 9 - width)))\(migration.name)")
        }
    }
}
