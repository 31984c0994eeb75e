import ArgumentParser

struct VolunteerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volunteer",
        abstract: "Register, find, move, correct, deregister, import and export volunteers.",
        discussion: """
            VOLUNTEER is a volunteer number (VL00000001) or an ID number. ID numbers and phones are masked \
            in every output unless --reveal is given.
            """,
        subcommands: [
            VolunteerRegister.self, VolunteerShow.self, VolunteerList.self, VolunteerMove.self, VolunteerDeregister.self,
            VolunteerUpdate.self, VolunteerImportCommand.self, VolunteerExport.self,
        ]
    )
}
