import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 12: a Chinese reader meets no English sentence on the error paths of the commands —
/// files that do not fit (CSV header and rows, encodings), times and dates written wrongly,
/// usage errors (ArgumentParser's own and vledger's), the rules the database refuses with their
/// numbers, anomaly reasons and decisions. Only codes, field and column names and values stay.
struct ChineseErrorPathsCLITests {
    /// Column and field names a message names as they are in the file.
    static let names: Set<String> = ["phone", "district_code", "registered_on", "minutes", "volunteer", "activity", "start",
                                     "name", "id_number", "header", "nonsense", "bogus", "staff", "organiser", "office", "admin",
                                     "year", "role", "activity", "file", "postgres"]

    static func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-zh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func errorPathsInChineseHaveNoEnglishSentences() async throws {
        try await TestDatabase.with { database in
            func zh(_ arguments: [String]) async throws -> CLIRunner.Result {
                try await CLIRunner.run(["--lang", "zh"] + arguments, database: database)
            }
            #expect(try await zh(["district", "add", "--code", "110101", "--name", "东城区", "--built-up"]).status == 0)
            let number = try await zh(["volunteer", "register", "--name", "王芳", "--id-number", "11010519491231002X",
                                       "--phone", "13812345678", "--district", "110101", "--registered-on", "2019-03-01"])
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let db = try await database.connect()
            let times = try await db.query("""
                SELECT vl_local_text(date_trunc('minute', now()) - interval '5 hours'), vl_local_text(date_trunc('minute', now()) - interval '1 hour'),
                       vl_local_text(date_trunc('minute', now()) - interval '4 hours')
                """).single()
            let (starts, ends, start): (String, String, String) = (try times.decode(0), try times.decode(1), try times.decode(2))
            await db.close()
            let activity = try await zh(["activity", "create", "--title", "清扫", "--district", "110101", "--organiser", "李四",
                                         "--starts", starts, "--ends", ends]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let other = try await zh(["activity", "create", "--title", "巡逻", "--district", "110101", "--organiser", "李四",
                                      "--starts", starts, "--ends", ends]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let entry = try await zh(["hours", "record", "--activity", activity, "--volunteer", number, "--minutes", "120", "--start", start])
            #expect(entry.status == 0, "\(entry.stderr)")
            let header = "volunteer,activity,start,minutes\n"
            let cases: [[String]] = [
                ["volunteer", "import", try Self.file("empty.csv", [])],
                ["volunteer", "import", try Self.file("short.csv", Array("name,id_number\n".utf8))],
                ["volunteer", "import", try Self.file("twice.csv", Array("name,姓名,id_number,phone,district_code,registered_on\n".utf8))],
                ["hours", "import", try Self.file("quote.csv", Array((header + "\(number),\(activity),\"\(start)\n").utf8))],
                ["hours", "import", try Self.file("wide.csv", Array((header + "\(number),\(activity),\(start),60,7\n").utf8))],
                ["hours", "import", try Self.file("time.csv", Array((header + "\(number),\(activity),bad,60\n").utf8))],
                ["hours", "import", try Self.file("utf16.csv", [0xFF, 0xFE, 0x61, 0x00])],
                ["hours", "import", try Self.file("overlap.csv", Array((header + "\(number),\(other),\(start),60\n").utf8))],
                ["hours", "record", "--activity", other, "--volunteer", number, "--minutes", "60", "--start", start],
                ["hours", "record", "--activity", other, "--volunteer", number, "--minutes", "600", "--start", start],
                ["hours", "record", "--activity", activity, "--volunteer", number, "--minutes", "10", "--start", "nonsense"],
                ["hours", "record", "--activity", activity, "--volunteer", number, "--minutes", "10"],
                ["hours", "record"],
                ["volunteer", "list", "--excel"],
                ["volunteer", "list", "--inactive"],
                ["metrics", "--year", "abc"],
                ["user", "add", "x", "--role", "chief"],
                ["volunteer", "bogus"],
                ["volunteer", "register", "--name", "李雷", "--id-number", "11010519491231002X", "--phone", "13812345678",
                 "--district", "110101", "--registered-on", "2019-02-30"],
                ["hours", "approve", "1", "1"],
                ["hours", "anomalies"],
                ["volunteer", "export", "--format", "json"],
                ["statement", "verify", "2019-999999"],
                ["hours", "attendance", "--activity", activity],
            ]
            for arguments in cases {
                let result = try await zh(arguments)
                for line in (result.stderr + result.stdout).split(separator: "\n") {
                    let english = untranslatedEnglish(String(line), allowing: Self.names)
                    #expect(english.isEmpty, "\(arguments): \(line)")
                }
            }
        }
    }
}
