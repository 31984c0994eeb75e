import ArgumentParser
import VLedgerCore

struct DistrictAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: tr("help.district_add.abstract"),
        discussion: tr("help.district_add.discussion")
    )

    @Option(help: ArgumentHelp(tr("help.district_add.code"))) var code: String
    @Option(help: ArgumentHelp(tr("help.district_add.name"))) var name: String
    @Flag(help: ArgumentHelp(tr("help.district_add.builtUp")))
    var builtUp = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let district = try await Districts.add(code: code, name: name, builtUp: builtUp, in: LedgerSession(connection))
        StandardError.write(tr(district.builtUp ? "ui.district.added_built_up" : "ui.district.added", ["code": district.code, "name": district.name]))
    }
}
