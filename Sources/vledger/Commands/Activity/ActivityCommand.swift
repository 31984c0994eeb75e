import ArgumentParser
import VLedgerCore

struct ActivityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract: tr("help.activity.abstract"),
        subcommands: [ActivityCreate.self, ActivityList.self, ActivityShow.self, ActivityImport.self, ActivityClose.self,
                      ActivityAddOrganiser.self, ActivityRemoveOrganiser.self, ActivityCheckinCode.self]
    )
}
