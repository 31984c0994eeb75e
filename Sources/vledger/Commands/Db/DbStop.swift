import ArgumentParser
import VLedgerCore

struct DbStop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: tr("help.db_stop.abstract")
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let cluster = database.locator.embeddedCluster else {
            throw VLedgerError.refused("db stop only stops the embedded database; this command was given --database-url or VLEDGER_DATABASE_URL")
        }
        try cluster.stop()
        StandardError.write(tr("ui.db.stopped_done"))
    }
}
