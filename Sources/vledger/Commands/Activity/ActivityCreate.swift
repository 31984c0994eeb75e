import ArgumentParser
import VLedgerCore

struct ActivityCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: tr("help.activity_create.abstract"),
        discussion: tr("help.activity_create.discussion")
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp(tr("help.activity_create.title"))) var title: String
    @Option(help: ArgumentHelp(tr("help.activity_create.district"))) var district: String
    @Option(help: ArgumentHelp(tr("help.activity_create.organiser"))) var organiser: String
    @Option(help: ArgumentHelp(tr("help.activity_create.starts"), valueName: "time")) var starts: String
    @Option(help: ArgumentHelp(tr("help.activity_create.ends"), valueName: "time")) var ends: String
    @Option(help: ArgumentHelp(tr("help.activity_create.category"))) var category: String?

    func run() async throws {
        let activity = NewActivity(
            title: title, districtCode: district, organiser: organiser,
            starts: try TimeInput.parse(starts, field: "starts"), ends: try TimeInput.parse(ends, field: "ends"), category: category)
        let db = try await database.connect()
        let id = try await ActivityService.create(activity, in: LedgerSession(db))
        print(id)
    }
}
