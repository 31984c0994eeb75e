import ArgumentParser

struct DistrictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "district",
        abstract: "Keep the office's districts (GB/T 2260 codes) and whether each lies in the built-up area.",
        subcommands: [DistrictAdd.self, DistrictList.self]
    )
}
