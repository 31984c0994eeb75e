import ArgumentParser
import VLedgerCore

struct DistrictAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a district.",
        discussion: "Example: vledger district add --code 210682001 --name 凤凰城街道 --built-up"
    )

    @Option(help: "GB/T 2260 administrative division code: 6, 9 or 12 digits.") var code: String
    @Option(help: "The district's name.") var name: String
    @Flag(help: "The district lies in the urban built-up area (城市建成区); the city row of the metrics counts it.")
    var builtUp = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let district = try await connection.transaction { db in
            try Districts.add(code: code, name: name, builtUp: builtUp, on: db)
        }
        StandardError.write("district \(district.code) \(district.name) added\(district.builtUp ? " (built-up area)" : "")")
    }
}
