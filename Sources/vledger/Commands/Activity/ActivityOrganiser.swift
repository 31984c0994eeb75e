import ArgumentParser
import VLedgerCore

struct ActivityAddOrganiser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-organiser",
        abstract: tr("help.activity_add_organiser.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.activity_add_organiser.activity"))) var activity: String
    @Argument(help: ArgumentHelp(tr("help.activity_add_organiser.login"))) var login: String

    func run() async throws {
        let id = try ActivityService.parseID(activity)
        let db = try await database.connect()
        let change = try await ActivityService.addOrganiser(id, login: login, in: LedgerSession(db))
        StandardError.write(change == .alreadyPresent
            ? "activity \(id): \(login) is already an organiser; nothing changed"
            : "activity \(id): \(login) added as an organiser")
    }
}

struct ActivityRemoveOrganiser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove-organiser",
        abstract: tr("help.activity_remove_organiser.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.activity_remove_organiser.activity"))) var activity: String
    @Argument(help: ArgumentHelp(tr("help.activity_remove_organiser.login"))) var login: String

    func run() async throws {
        let id = try ActivityService.parseID(activity)
        let db = try await database.connect()
        try await ActivityService.removeOrganiser(id, login: login, in: LedgerSession(db))
        StandardError.write(tr("ui.activity.organiser_removed", ["activity": String(id), "login": login]))
    }
}
