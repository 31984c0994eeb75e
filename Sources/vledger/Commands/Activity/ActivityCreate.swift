import ArgumentParser
import VLedgerCore

struct ActivityCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an activity; prints its id alone on standard output.",
        discussion: "TIME is ISO 8601 with an offset (2019-12-31T09:00:00+08:00) or YYYY-MM-DD HH:MM in the city's time zone."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Title of the activity.") var title: String
    @Option(help: "District code (GB/T 2260) where it takes place.") var district: String
    @Option(help: "Who organises it.") var organiser: String
    @Option(help: ArgumentHelp("When it starts.", valueName: "time")) var starts: String
    @Option(help: ArgumentHelp("When it ends.", valueName: "time")) var ends: String
    @Option(help: "Category (default 综合).") var category: String?

    func run() async throws {
        let activity = NewActivity(
            title: title, districtCode: district, organiser: organiser,
            starts: try TimeInput.parse(starts, field: "starts"), ends: try TimeInput.parse(ends, field: "ends"), category: category)
        let db = try await database.connect()
        let id = try await db.transaction { tx in try ActivityService.create(activity, on: tx) }
        print(id)
    }
}
