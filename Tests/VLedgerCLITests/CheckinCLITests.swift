import Foundation
import PostgresLibPQ
import QRCode
import Testing
import VLedgerTestSupport

/// `activity checkin-code` (the organiser's screen in a terminal) and `hours self-check-in|out`
/// (the service's path from a shell), run as whole processes.
struct CheckinCLITests {
    @Test func theScreenShowsTheCodeItsTimeAndTheQRCodeOfTheAddress() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let volunteer = try await LedgerFixtures.volunteer(db)
            try await db.execute("UPDATE volunteer SET phone = '13912345678' WHERE id = \(volunteer.id)")
            let activity = try await LedgerFixtures.currentActivity(db, startedMinutesAgo: 20, endsInMinutes: 60)

            let screen = try await CLIRunner.run(["activity", "checkin-code", String(activity), "--action", "in",
                                                  "--base-url", "https://vledger.example.cn/"], database: database)
            #expect(screen.status == 0, "\(screen.stderr)")
            let lines = screen.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let code = try #require(lines.first?.split(separator: " ").last.map(String.init))
            #expect(lines[0] == "Check-in code for activity \(activity): \(code)" && code.count == 6)
            #expect(lines[1].hasPrefix("Accepted until ") && lines[1].contains("+08:00"))
            let url = "https://vledger.example.cn/checkin/\(activity)?action=in&code=\(code)"
            #expect(lines[2] == "Check-in address: \(url)")
            #expect(screen.stdout.contains(try QRCode(text: url).terminalText()))

            let zh = try await CLIRunner.run(["activity", "checkin-code", String(activity), "--action", "out", "--no-qr"],
                                             database: database, environment: ["LC_ALL": "zh_CN.UTF-8"])
            #expect(zh.stdout.hasPrefix("活动 \(activity) 的签退码："), "\(zh.stdout)")
            #expect(zh.stdout.split(separator: "\n").count == 3)

            let checkIn = ["hours", "self-check-in", "--activity", String(activity), "--volunteer", volunteer.number,
                           "--phone-last4", "5678", "--code", code, "--client-address", "203.0.113.9"]
            let done = try await CLIRunner.run(checkIn, database: database)
            #expect(done.status == 0 && done.stdout.hasPrefix("checked in at "), "\(done.stderr)")
            let again = try await CLIRunner.run(checkIn, database: database, environment: ["LC_ALL": "zh_CN.UTF-8"])
            #expect(again.status != 0 && again.stderr.contains("该志愿者已用过这个签到码"), "\(again.stderr)")
            let wrongPhone = try await CLIRunner.run(["hours", "self-check-out", "--activity", String(activity), "--volunteer", volunteer.number,
                                                      "--phone-last4", "4321", "--code", code], database: database)
            #expect(wrongPhone.status != 0 && wrongPhone.stderr.contains("no volunteer with this number and these last 4 phone digits"))
            #expect(!wrongPhone.stderr.contains("5678") && !wrongPhone.stderr.contains("4321"))
            let address: String = try await db.query("SELECT host(client_address) FROM checkin_attempt WHERE verdict = 'ok' ORDER BY id LIMIT 1").single().decode(0)
            #expect(address == "203.0.113.9")
        }
    }

    @Test func helpIsInBothLanguages() async throws {
        for (arguments, english, chinese) in [
            (["activity", "checkin-code", "--help"], "Show the activity's current check-in code", "显示活动当前的签到码"),
            (["hours", "self-check-in", "--help"], "Check in as a volunteer does on their phone", "像志愿者在手机上那样"),
        ] {
            let en = try await CLIRunner.run(arguments, database: nil)
            #expect(en.stdout.contains(english), "\(en.stdout)")
            let zh = try await CLIRunner.run(arguments, database: nil, environment: ["LC_ALL": "zh_CN.UTF-8"])
            #expect(zh.stdout.contains(chinese), "\(zh.stdout)")
        }
    }
}
