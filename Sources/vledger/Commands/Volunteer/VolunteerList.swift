import ArgumentParser
import VLedgerCore

struct VolunteerList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: tr("help.volunteer_list.abstract"),
        discussion: tr("help.volunteer_list.discussion")
    )

    @Option(help: ArgumentHelp(tr("help.volunteer_list.district"))) var district: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp(tr("help.volunteer_list.asOf")))
    var asOf: String?
    @Option(help: ArgumentHelp(tr("help.volunteer_list.search"))) var search: String?
    @Flag(name: .customLong("include-deregistered"), help: ArgumentHelp(tr("help.volunteer_list.includeDeregistered")))
    var includeDeregistered = false
    @Flag(help: ArgumentHelp(tr("help.volunteer_list.inactive"))) var inactive = false
    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.volunteer_list.year"))) var year: Int?
    @Option(help: ArgumentHelp(tr("help.volunteer_list.format"))) var format: SheetFormat = .table
    @OptionGroup var output: SheetOutputOptions
    @Flag(help: ArgumentHelp(tr("help.volunteer_list.reveal"))) var reveal = false
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if inactive && year == nil { throw ValidationError(tr("error.usage_inactive_needs_year")) }
        if !inactive && year != nil { throw ValidationError(tr("error.usage_year_needs_inactive")) }
        if inactive && (search != nil || includeDeregistered) {
            throw ValidationError(tr("error.usage_inactive_options"))
        }
    }

    func run() async throws {
        try output.check(format)
        let connection = try await database.connect()
        let session = LedgerSession(connection)
        let day = try asOf.map { try DateInput.parse($0, field: "as-of") }
        let volunteers: [VolunteerListing]
        if inactive, let year {
            volunteers = try await VolunteerQueries.inactive(year: year, asOf: day, district: district, in: session)
        } else {
            volunteers = try await VolunteerQueries.list(
                VolunteerListQuery(asOf: day, district: district, search: search, includeDeregistered: includeDeregistered), in: session)
        }
        let printer = VolunteerOutput(reveal: reveal)
        try output.emit(format, text: { printer.list(volunteers, format: format.text ?? .table, withStatus: includeDeregistered) },
                        workbook: { printer.workbook(volunteers, withStatus: includeDeregistered) })
    }
}
