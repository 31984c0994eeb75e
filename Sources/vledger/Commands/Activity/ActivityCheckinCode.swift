import ArgumentParser
import QRCode
import VLedgerCore

/// The organiser's check-in screen, in a terminal: the current code, until when it is accepted,
/// and the QR code of the address a volunteer's phone opens.
struct ActivityCheckinCode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkin-code",
        abstract: tr("help.activity_checkin_code.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.activity_checkin_code.activity"))) var activity: String
    @Option(help: ArgumentHelp(tr("help.activity_checkin_code.action"), valueName: "in|out")) var action: String
    @Option(name: .customLong("base-url"), help: ArgumentHelp(tr("help.activity_checkin_code.base_url"), valueName: "url"))
    var baseURL: String = "https://vledger.invalid"
    @Flag(name: .customLong("no-qr"), help: ArgumentHelp(tr("help.activity_checkin_code.no_qr"))) var noQR = false

    func run() async throws {
        let id = try ActivityService.parseID(activity)
        let action = try CheckinAction.parse(self.action)
        let db = try await database.connect()
        let code = try await CheckinCodes.current(activity: id, action: action, in: LedgerSession(db))
        let url = CheckinCodes.checkinURL(base: baseURL, activity: id, code: code)
        print(tr(action == .checkIn ? "ui.checkin.code_in" : "ui.checkin.code_out", ["activity": String(id), "code": code.code]))
        print(tr("ui.checkin.valid_until", ["time": CityTime.text(code.validUntil)]))
        print(tr("ui.checkin.address", ["url": url]))
        if !noQR {
            print(try QRCode(text: url).terminalText())
        }
    }
}
