import ArgumentParser
import VLedgerCore

struct HoursCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hours",
        abstract: tr("help.hours.abstract"),
        discussion: tr("help.hours.discussion"),
        subcommands: [
            HoursRecord.self, HoursImportCommand.self, HoursApprove.self, HoursReject.self, HoursCorrect.self, HoursList.self,
            HoursAttendanceCommand.self, HoursCheckIn.self, HoursCheckOut.self, HoursSelfCheckIn.self, HoursSelfCheckOut.self, HoursCloseOpenCheckIns.self, HoursAnomaliesCommand.self,
        ]
    )
}
