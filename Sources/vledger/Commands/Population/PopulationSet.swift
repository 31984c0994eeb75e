import ArgumentParser
import VLedgerCore

struct PopulationSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Record a district's population for a year (a new figure for the same year is kept as a revision)."
    )

    @Option(help: "District code.") var district: String
    @Option(parsing: .unconditional, help: "Year of the figure.") var year: Int
    // Read as text, unconditionally: "--residents -5" must reach the rule and get its message,
    // not "Missing value" because "-5" looks like an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Permanent residents (a positive whole number).", valueName: "residents"))
    var residents: String
    @Option(help: "Where the figure comes from (e.g. the statistics bureau's yearbook).") var source: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let figure = try await connection.transaction { db in
            try Population.set(district: district, year: year, residents: try Population.residents(text: residents), source: source, on: db)
        }
        StandardError.write("population of \(figure.districtCode) \(figure.districtName) for \(figure.year): \(figure.residents)")
    }
}
