import Foundation
import Testing
import VLedgerCore
import VLedgerTestSupport

/// The embedded cluster's setup failures are what a person meets first on a new machine: they read
/// them in their language, with the path or variable to fix, and nothing is started or created.
struct EmbeddedClusterErrorCLITests {
    static func scratchHome() -> URL {
        URL(fileURLWithPath: "/tmp").appendingPathComponent("vlhome-err-\(UUID().uuidString.prefix(8))")
    }

    @Test func aWrongServerFolderIsNamedInChinese() async throws {
        let home = Self.scratchHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["VLEDGER_HOME": home.path, "VLEDGER_PG_BINDIR": "/nonexistent/pg/bin"]
        let zh = try await CLIRunner.run(["--lang", "zh", "db", "migrate"], database: nil, environment: environment)
        #expect(zh.status != 0)
        #expect(zh.stderr.contains("VLEDGER_PG_BINDIR=/nonexistent/pg/bin 中没有 PostgreSQL 服务器程序"), "\(zh.stderr)")
        #expect(untranslatedEnglish(zh.stderr, allowing: ["VLEDGER_PG_BINDIR", "pg_ctl", "initdb", "postgres", "PostgreSQL"]).isEmpty, "\(zh.stderr)")
        let en = try await CLIRunner.run(["--lang", "en", "db", "migrate"], database: nil, environment: environment)
        #expect(en.stderr.contains("VLEDGER_PG_BINDIR=/nonexistent/pg/bin does not contain the PostgreSQL server programs"), "\(en.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("pgdata").path))
    }

    @Test func aHomeThatIsAFileIsRefusedInChinese() async throws {
        let home = Self.scratchHome()
        try Data("not a folder".utf8).write(to: home)
        defer { try? FileManager.default.removeItem(at: home) }
        let zh = try await CLIRunner.run(["--lang", "zh", "db", "migrate"], database: nil, environment: ["VLEDGER_HOME": home.path])
        #expect(zh.status != 0)
        #expect(zh.stderr.contains("vledger 主目录 \(home.path) 已存在，但不是文件夹"), "\(zh.stderr)")
        #expect(try String(contentsOf: home, encoding: .utf8) == "not a folder")
    }

    /// Every key the cluster code throws has a text in both languages: a missing one would print
    /// the bare key to the person who has to fix the setup.
    @Test func everyThrownKeyHasItsText() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/VLedgerCore/Database/EmbeddedCluster.swift").standardized
        let text = try String(contentsOf: source, encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"EmbeddedClusterError\(\s*"([a-z_]+)""#)
        let keys = regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
        #expect(keys.count >= 30)
        for key in Set(keys) {
            #expect(Catalog.zh["cluster.\(key)"] != nil, "zh: cluster.\(key)")
            #expect(Catalog.en["cluster.\(key)"] != nil, "en: cluster.\(key)")
        }
    }
}
