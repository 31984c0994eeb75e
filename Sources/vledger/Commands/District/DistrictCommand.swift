import ArgumentParser
import VLedgerCore

struct DistrictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "district",
        abstract: tr("help.district.abstract"),
        subcommands: [DistrictAdd.self, DistrictList.self]
    )
}
