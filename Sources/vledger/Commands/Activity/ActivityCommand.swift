import ArgumentParser

struct ActivityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract: "Create, list, import and close activities (the events hours are recorded on).",
        subcommands: [ActivityCreate.self, ActivityList.self, ActivityShow.self, ActivityImport.self, ActivityClose.self,
                      ActivityAddOrganiser.self, ActivityRemoveOrganiser.self]
    )
}
