import ArgumentParser
import VLedgerCore

struct ActivityAddOrganiser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-organiser",
        abstract: "Let another organiser record and decide hours on your activity (so each can approve what the other recorded)."
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Activity id.") var activity: String
    @Argument(help: "The organiser's login.") var login: String

    func run() async throws {
        let id = try ActivityService.parseID(activity)
        let db = try await database.connect()
        let change = try await db.transaction { tx in try ActivityService.addOrganiser(id, login: login, on: tx) }
        StandardError.write(change == .alreadyPresent
            ? "activity \(id): \(login) is already an organiser; nothing changed"
            : "activity \(id): \(login) added as an organiser")
    }
}

struct ActivityRemoveOrganiser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove-organiser",
        abstract: "Stop another organiser from recording and deciding hours on your activity (what they did stays)."
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Activity id.") var activity: String
    @Argument(help: "The organiser's login.") var login: String

    func run() async throws {
        let id = try ActivityService.parseID(activity)
        let db = try await database.connect()
        _ = try await db.transaction { tx in try ActivityService.removeOrganiser(id, login: login, on: tx) }
        StandardError.write("activity \(id): \(login) removed as an organiser")
    }
}
