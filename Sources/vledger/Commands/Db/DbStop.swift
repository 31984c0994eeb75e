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
            throw UserFacingError.error(.configuration, "db_stop_not_embedded")
        }
        try cluster.stop()
        StandardError.write(tr("ui.db.stopped_done"))
    }
}
