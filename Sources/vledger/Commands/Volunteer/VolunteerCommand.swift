import ArgumentParser
import VLedgerCore

struct VolunteerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volunteer",
        abstract: tr("help.volunteer.abstract"),
        discussion: tr("help.volunteer.discussion"),
        subcommands: [
            VolunteerRegister.self, VolunteerShow.self, VolunteerList.self, VolunteerMove.self, VolunteerDeregister.self,
            VolunteerUpdate.self, VolunteerImportCommand.self, VolunteerExport.self,
        ]
    )
}
