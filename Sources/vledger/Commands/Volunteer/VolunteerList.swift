import ArgumentParser
import VLedgerCore

struct VolunteerList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List registered volunteers, in the district they belong to today (or on --as-of).",
        discussion: """
            --inactive --year Y lists the volunteers registered on Y-12-31 (or --as-of) with no net approved \
            minutes in year Y, in the district they belonged to then: the people outreach should call.
            """
    )

    @Option(help: "Only volunteers belonging to this district on the day.") var district: String?
    @Option(name: .customLong("as-of"), help: "The day (YYYY-MM-DD) whose register and districts are listed (default today).")
    var asOf: String?
    @Option(help: "Part of a name, part of a phone number, a volunteer number or an ID number.") var search: String?
    @Flag(name: .customLong("include-deregistered"), help: "Also list volunteers who have left (or registered after the day).")
    var includeDeregistered = false
    @Flag(help: "Registered volunteers without approved service in --year.") var inactive = false
    @Option(parsing: .unconditional, help: "The year for --inactive.") var year: Int?
    @Option(help: "table, json, csv or xlsx (a workbook, sheet 志愿者; with --out FILE or redirected).") var format: SheetFormat = .table
    @OptionGroup var output: SheetOutputOptions
    @Flag(help: "Show ID numbers and phones in full.") var reveal = false
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if inactive && year == nil { throw ValidationError("--inactive needs --year YEAR") }
        if !inactive && year != nil { throw ValidationError("--year is only for --inactive") }
        if inactive && (search != nil || includeDeregistered) {
            throw ValidationError("--inactive takes only --year, --as-of and --district")
        }
    }

    func run() async throws {
        try output.check(format)
        let connection = try await database.connect()
        let volunteers = try await connection.transaction(readOnly: true) { db in
            let day = try asOf.map { try DateInput.parse($0, field: "as-of") }
            if inactive, let year {
                return try VolunteerQueries.inactive(year: year, asOf: day, district: district, on: db)
            }
            return try VolunteerQueries.list(
                VolunteerListQuery(asOf: day, district: district, search: search, includeDeregistered: includeDeregistered), on: db)
        }
        let printer = VolunteerOutput(reveal: reveal)
        try output.emit(format, text: { printer.list(volunteers, format: format.text ?? .table, withStatus: includeDeregistered) },
                        workbook: { printer.workbook(volunteers, withStatus: includeDeregistered) })
    }
}
