import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 12 §1–§4 through the binary: the language chosen by --lang, the locale or the setting;
/// help of every command in both languages; Chinese errors, tables and warnings; machine formats
/// the same in both.
struct LanguageCLITests {
    /// Every command path of the tree, from `--experimental-dump-help`.
    static func commandPaths() async throws -> [[String]] {
        let dump = try await CLIRunner.run(["--experimental-dump-help"], database: nil)
        #expect(dump.status == 0, "\(dump.stderr)")
        let root = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
        var paths: [[String]] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            paths.append(path)
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                guard let name = sub["commandName"] as? String, name != "help" else { continue }
                walk(sub, path + [name])
            }
        }
        walk(root?["command"] as? [String: Any] ?? [:], [])
        return paths
    }

    @Test func helpOfEveryCommandRendersInBothLanguages() async throws {
        let paths = try await Self.commandPaths()
        #expect(paths.count > 50)
        for path in paths {
            let zh = try await CLIRunner.run(["--lang", "zh"] + path + ["--help"], database: nil)
            #expect(zh.status == 0, "\(path): \(zh.stderr)")
            #expect(zh.stdout.contains("用法："), "\(path)")
            #expect(zh.stdout.contains("显示帮助信息。"), "\(path)")
            #expect(zh.stdout.range(of: #"help\.[a-z_]+\."#, options: .regularExpression) == nil, "\(path): a key without text\n\(zh.stdout)")
            let en = try await CLIRunner.run(path + ["--help", "--lang=en"], database: nil)
            #expect(en.status == 0, "\(path): \(en.stderr)")
            #expect(en.stdout.contains("USAGE:"), "\(path)")
            #expect(en.stdout.range(of: #"help\.[a-z_]+\."#, options: .regularExpression) == nil, "\(path): a key without text")
        }
        let root = try await CLIRunner.run(["--help"], database: nil, environment: ["LC_ALL": "zh_CN.UTF-8"])
        #expect(root.stdout.contains("注册、查找、变更区划、更正、注销、导入和导出志愿者。"))
    }

    @Test func errorsInChineseOrEnglishWithTheSameExitCode() async throws {
        try await TestDatabase.with { database in
            let add = try await CLIRunner.run(["district", "add", "--code", "110101", "--name", "东城区", "--built-up"], database: database)
            #expect(add.status == 0, "\(add.stderr)")
            let arguments = ["volunteer", "register", "--name", "王芳", "--id-number", "11010519491231002X", "--phone", "123",
                             "--district", "110101", "--registered-on", "2019-03-01"]
            let zh = try await CLIRunner.run(["--lang", "zh"] + arguments, database: database)
            let en = try await CLIRunner.run(arguments, database: database)
            #expect(zh.status == en.status && zh.status != 0)
            #expect(zh.stderr.contains("vledger: error: 手机号(phone)「***」：必须是 11 位中国大陆手机号"), "\(zh.stderr)")
            #expect(en.stderr.contains("vledger: error: phone \"***\": must be an 11-digit mainland mobile number"), "\(en.stderr)")
            let usage = try await CLIRunner.run(["--lang", "zh", "volunteer", "bogus"], database: nil)
            #expect(usage.stderr.split(separator: "\n").count == 1)
            #expect(usage.stderr.hasSuffix("（见 --help）\n"))
            let badLanguage = try await CLIRunner.run(["--lang", "fr", "district", "list"], database: database)
            #expect(badLanguage.status != 0)
            #expect(badLanguage.stderr.contains("--lang must be zh or en"))
        }
    }

    /// Neither --lang nor a locale that names a language: the deployment's setting, default zh.
    @Test func theSettingDecidesWithoutOptionOrLocale() async throws {
        try await TestDatabase.with { database in
            _ = try await CLIRunner.run(["district", "add", "--code", "110101", "--name", "东城区", "--built-up"], database: database)
            let neutral = ["LC_ALL": "C.UTF-8"]
            let byDefault = try await CLIRunner.run(["district", "list"], database: database, environment: neutral)
            #expect(byDefault.stdout.hasPrefix("代码"), "\(byDefault.stdout)")
            #expect(byDefault.stdout.contains("是"))
            let connection = try await Connection.connect(database.connectionString)
            try await connection.execute("INSERT INTO setting (name, value) VALUES ('language', 'en') ON CONFLICT (name) DO UPDATE SET value = 'en'")
            let english = try await CLIRunner.run(["district", "list"], database: database, environment: neutral)
            #expect(english.stdout.hasPrefix("code"), "\(english.stdout)")
            let forced = try await CLIRunner.run(["--lang", "zh", "district", "list"], database: database, environment: neutral)
            #expect(forced.stdout.hasPrefix("代码"))
            // Machines read the same in every language.
            let csvZh = try await CLIRunner.run(["--lang", "zh", "district", "list", "--format", "csv"], database: database)
            let csvEn = try await CLIRunner.run(["--lang", "en", "district", "list", "--format", "csv"], database: database)
            #expect(csvZh.stdout == csvEn.stdout)
            let jsonZh = try await CLIRunner.run(["--lang", "zh", "district", "list", "--format", "json"], database: database)
            let jsonEn = try await CLIRunner.run(["--lang", "en", "district", "list", "--format", "json"], database: database)
            #expect(jsonZh.stdout == jsonEn.stdout)
        }
    }

    @Test func metricsInChineseWarnOfAFutureYear() async throws {
        try await TestDatabase.with { database in
            _ = try await CLIRunner.run(["district", "add", "--code", "110101", "--name", "东城区", "--built-up"], database: database)
            _ = try await CLIRunner.run(["population", "set", "--district", "110101", "--year", "2019", "--residents", "1000"], database: database)
            let zh = try await CLIRunner.run(["--lang", "zh", "metrics", "--year", "2019"], database: database)
            #expect(zh.status == 0, "\(zh.stderr)")
            #expect(zh.stdout.contains("志愿服务指标 2019 年"), "\(zh.stdout)")
            #expect(zh.stdout.contains("注册率"))
            #expect(zh.stdout.contains("全市"))
            let future = try await CLIRunner.run(["--lang", "zh", "metrics", "--year", "9998", "--format", "json"], database: database)
            #expect(future.status == 0, "\(future.stderr)")
            #expect(future.stderr.contains("警告：9998 年尚未到来"), "\(future.stderr)")
            #expect(!future.stdout.contains("future_year"))
            let futureEn = try await CLIRunner.run(["metrics", "--year", "9998"], database: database)
            #expect(futureEn.stderr.contains("warning: 9998 is in the future"), "\(futureEn.stderr)")
        }
    }
}

extension LanguageCLITests {
    /// §4: the statement's issuer is the issuing person's display name; a deregistered volunteer's
    /// period ends at the deregistration date.
    @Test func statementIssuerIsTheDisplayNameAndTheDeregisteredPeriodEnds() async throws {
        try await TestDatabase.with { database in
            let owner = database.connectionString
            @Sendable func ok(_ arguments: [String], as url: String) async throws -> CLIRunner.Result {
                let result = try await CLIRunner.run(arguments, database: nil, environment: ["VLEDGER_DATABASE_URL": url])
                #expect(result.status == 0, "vledger \(arguments.joined(separator: " ")): \(result.stderr)")
                return result
            }
            _ = try await ok(["district", "add", "--code", "210682001", "--name", "凤凰城街道", "--built-up"], as: owner)
            let number = try await ok(["volunteer", "register", "--name", "王芳", "--id-number", TestIDNumber.make(sequence: 7),
                                       "--phone", "13812345678", "--district", "210682001", "--registered-on", "2020-03-01"], as: owner).output
            _ = try await ok(["volunteer", "deregister", number, "--on", "2021-06-30", "--reason", "迁出本市"], as: owner)
            try await TestLogins.with(database) { logins in
                let login = "t_off_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
                await logins.adopt(login)
                _ = try await ok(["user", "add", login, "--role", "office", "--display-name", "李红"], as: owner)
                let office = try await logins.connectionString(as: login)
                let statement = try await ok(["statement", number, "--format", "json"], as: office)
                #expect(statement.stdout.contains("\"issuer\": \"李红\"") || statement.stdout.contains("\"issuer\":\"李红\""), "\(statement.stdout)")
                #expect(statement.stdout.contains("\"to\": \"2021-06-30\"") || statement.stdout.contains("\"to\":\"2021-06-30\""), "\(statement.stdout)")
                let text = try await ok(["--lang", "zh", "statement", number], as: office)
                #expect(text.stdout.contains("志愿服务证明"))
                #expect(text.stdout.contains("李红"))
            }
            let byOwner = try await ok(["statement", number, "--format", "json"], as: owner)
            #expect(!byOwner.stdout.contains("李红"))
        }
    }
}
