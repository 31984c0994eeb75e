import ArgumentParser

struct HoursCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hours",
        abstract: "The hours ledger: record, import, approve, reject, correct and list service hours.",
        discussion: "Entries are never changed or deleted: a correction is a new entry with a reason. Only approved minutes count.",
        subcommands: [
            HoursRecord.self, HoursImportCommand.self, HoursApprove.self, HoursReject.self, HoursCorrect.self, HoursList.self,
            HoursAttendanceCommand.self, HoursCheckIn.self, HoursCheckOut.self, HoursCloseOpenCheckIns.self, HoursAnomaliesCommand.self,
        ]
    )
}
