import ArgumentParser
import PostgresLibPQ
import VLedgerCore

/// Who arrives or leaves which activity, and when: shared by `hours check-in` and `hours check-out`.
struct ClockOptions: ParsableArguments {
    @Option(help: ArgumentHelp(tr("help.clock_options.activity"))) var activity: String
    @Option(help: ArgumentHelp(tr("help.clock_options.volunteer"))) var volunteer: String
    @Option(help: ArgumentHelp(tr("help.clock_options.at"), valueName: "time")) var at: String?

    /// The activity id and time, validated before any connection is made.
    func parsed() throws -> (activity: Int64, at: TimeInput?) {
        (try ActivityService.parseID(activity), try at.map { try TimeInput.parse($0, field: "at") })
    }
}
