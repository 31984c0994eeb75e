import Foundation
import Testing
import VLedgerTestSupport

/// The registry's command-line contract, run as whole processes.
struct RegistryCLITests {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static func id(_ body17: String) -> String {
        let sum = zip(body17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body17 + String(Array("10X98765432")[sum % 11])
    }

    static let person = id("21068219900101123")
    static let phone = "13812345678"
    static let minor = id("21068220050601456")
    static let guardianPhone = "13998765432"

    @discardableResult
    static func run(_ arguments: [String], _ database: TestDatabase, status expected: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIRunner.Result {
        let result = try await CLIRunner.run(arguments, database: database)
        #expect(result.status == expected, "vledger \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    static func withCity(_ body: @Sendable (TestDatabase) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            try await run(["district", "add", "--code", "210682001", "--name", "凤凰城街道", "--built-up"], database)
            try await run(["district", "add", "--code", "210682002", "--name", "元宝区街道"], database)
            try await body(database)
        }
    }

    static func file(_ text: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("volunteers.csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func registerPrintsTheNewNumberAloneAndContractCommandsWork() async throws {
        try await Self.withCity { db in
            let registered = try await Self.run(["volunteer", "register", "--name", "张伟", "--id-number", Self.person, "--phone", Self.phone,
                                           "--district", "210682001", "--registered-on", "2019-03-01"], db)
            #expect(registered.stdout == "VL00000001\n")
            try await Self.run(["volunteer", "move", "VL00000001", "--district", "210682002", "--on", "2020-01-01"], db)
            let json = try await Self.run(["volunteer", "list", "--district", "210682002", "--format", "json"], db).stdout
            #expect(json.contains("\"number\": \"VL00000001\""))
            #expect(json.contains("\"district_code\": \"210682002\""))
            let csv = try await Self.run(["volunteer", "list", "--format", "csv", "--as-of", "2019-12-31"], db).stdout
            #expect(csv == "number,name,id_number,phone,district_code,district_name,registered_on\nVL00000001,张伟,210682********\(Self.person.suffix(4)),138****5678,210682001,凤凰城街道,2019-03-01\n")
            try await Self.run(["volunteer", "deregister", Self.person, "--on", "2021-01-01", "--reason", "迁出本市"], db)
            #expect(try await Self.run(["volunteer", "list", "--format", "csv"], db).stdout == "number,name,id_number,phone,district_code,district_name,registered_on\n")
            try await Self.run(["population", "set", "--district", "210682001", "--year", "2019", "--residents", "210000"], db)
            #expect(try await Self.run(["population", "list", "--format", "csv"], db).stdout.contains("210682001,凤凰城街道,2019,210000,"))
        }
    }

    @Test func refusalsExitNonZeroWithOneLineAndWriteNothing() async throws {
        try await Self.withCity { db in
            let bad = String(Self.person.dropLast()) + (Self.person.last == "1" ? "2" : "1")
            let refused = try await Self.run(["volunteer", "register", "--name", "张伟", "--id-number", bad, "--phone", Self.phone, "--district", "210682001"], db, status: 1)
            #expect(refused.stdout.isEmpty)
            #expect(refused.stderr == "vledger: error: id_number \"210682********\(bad.suffix(4))\": check digit does not match (GB 11643-1999)\n")
            try await Self.run(["volunteer", "register", "--name", "张伟", "--id-number", Self.person, "--phone", Self.phone, "--district", "210682001", "--registered-on", "2019-03-01"], db)
            let twice = try await Self.run(["volunteer", "register", "--name", "张伟", "--id-number", Self.person, "--phone", Self.phone, "--district", "210682001"], db, status: 1)
            #expect(twice.stderr == "vledger: error: id_number \"210682********\(Self.person.suffix(4))\": already registered as volunteer VL00000001 (one registration per person)\n")
            #expect(try await Self.run(["volunteer", "list", "--format", "csv"], db).stdout.split(separator: "\n").count == 2)
            let usage = try await CLIRunner.run(["volunteer", "register", "--name", "x"], database: db)
            #expect(usage.status != 0)
        }
    }

    @Test func importReportsEveryBadRowAndSkipBadWritesTheRest() async throws {
        try await Self.withCity { db in
            let url = try Self.file("""
                name,id_number,phone,district_code,registered_on
                张伟,\(Self.person),\(Self.phone),210682001,2019-03-01
                李娜,\(Self.id("21068219910101123")),123,210682001,2019-03-01
                王芳,\(Self.id("21068219920101123")),13700000000,210682999,2019-03-01

                """)
            let rejected = try await Self.run(["volunteer", "import", url.path], db, status: 1)
            #expect(rejected.stdout.isEmpty)
            let lines = rejected.stderr.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines[0] == "line 3: phone \"***\": must be an 11-digit mainland mobile number")
            #expect(lines[1] == "line 4: district_code \"210682999\": no such district (add it with `vledger district add`)")
            #expect(lines[2].hasPrefix("vledger: error: \(url.path): 2 of 3 rows are bad, nothing was written"))
            #expect(try await Self.run(["volunteer", "list", "--format", "csv"], db).stdout.split(separator: "\n").count == 1)

            let skipped = try await Self.run(["volunteer", "import", url.path, "--skip-bad", "--format", "json"], db)
            #expect(skipped.stdout.contains("\"applied\": 1"))
            #expect(skipped.stdout.contains("\"bad_rows\": 2"))
            #expect(skipped.stderr.contains("1 applied, 0 already present, 2 bad rows skipped and saved to"))
            #expect(FileManager.default.fileExists(atPath: url.deletingPathExtension().path + ".rejects.csv"))
            let again = try await Self.run(["volunteer", "import", url.path, "--skip-bad"], db)
            #expect(again.stderr.contains("0 applied, 1 already present"))
        }
    }

    /// Every output a person or script sees, with and without --reveal: the full ID numbers and
    /// phones appear only when revealed.
    @Test func personalDataIsMaskedEverywhereUnlessRevealed() async throws {
        try await Self.withCity { db in
            try await Self.run(["volunteer", "register", "--name", "张伟", "--id-number", Self.person, "--phone", Self.phone,
                          "--district", "210682001", "--registered-on", "2019-03-01"], db)
            try await Self.run(["volunteer", "register", "--name", "小明", "--id-number", Self.minor, "--phone", "13700000000",
                          "--district", "210682001", "--registered-on", "2020-01-01",
                          "--guardian-name", "张建国", "--guardian-phone", Self.guardianPhone, "--guardian-consent"], db)
            try await Self.run(["volunteer", "update", "VL00000001", "--phone", "13811112222"], db)
            let secrets = [Self.person, Self.minor, "13811112222", Self.phone, Self.guardianPhone]
            var masked: [[String]] = [
                ["volunteer", "list"], ["volunteer", "list", "--format", "json"], ["volunteer", "list", "--format", "csv"],
                ["volunteer", "list", "--include-deregistered", "--format", "json"],
                ["volunteer", "list", "--search", "张"], ["volunteer", "list", "--search", "1111"],
                ["volunteer", "list", "--inactive", "--year", "2020", "--format", "json"],
                ["volunteer", "show", "VL00000001"], ["volunteer", "show", Self.person, "--format", "json"],
                ["volunteer", "show", "VL00000002"], ["volunteer", "show", "VL00000002", "--format", "json"],
                ["volunteer", "export", "--format", "csv"],
            ]
            var failing: [[String]] = [
                ["volunteer", "register", "--name", "张伟", "--id-number", Self.person, "--phone", Self.phone, "--district", "210682001"],
                ["volunteer", "register", "--name", "张伟", "--id-number", Self.id("21068219800101123"), "--phone", "1381234567", "--district", "210682001"],
                ["volunteer", "register", "--name", "张伟", "--id-number", String(Self.person.dropLast()) + "0", "--phone", Self.phone, "--district", "210682001"],
                ["volunteer", "show", Self.id("21068219700101123")],
                ["volunteer", "update", "VL00000001", "--phone", "1381111222"],
            ]
            let importFile = try Self.file("name,id_number,phone,district_code,registered_on\n张卫,\(Self.person),\(Self.phone),210682001,2019-03-01\n")
            failing.append(["volunteer", "import", importFile.path])
            masked.append(["volunteer", "import", importFile.path, "--skip-bad", "--format", "json"])
            for arguments in masked {
                let result = try await Self.run(arguments, db)
                for secret in secrets {
                    #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(arguments.joined(separator: " ")) shows \(secret)")
                }
            }
            for arguments in failing {
                let result = try await Self.run(arguments, db, status: 1)
                for secret in secrets {
                    #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(arguments.joined(separator: " ")) shows \(secret)")
                }
            }
            var revealed = ""
            for command in ["list", "show VL00000002", "export"] {
                let arguments = ["volunteer"] + command.split(separator: " ").map(String.init) + ["--reveal"]
                revealed += try await Self.run(arguments, db).stdout
            }
            for secret in [Self.person, Self.minor, "13811112222", Self.guardianPhone] {
                #expect(revealed.contains(secret), "--reveal shows \(secret)")
            }
        }
    }

    @Test func exportWithRevealImportsIntoAnotherDatabase() async throws {
        try await Self.withCity { source in
            try await Self.run(["volunteer", "register", "--name", "张伟", "--id-number", Self.person, "--phone", Self.phone,
                          "--district", "210682001", "--registered-on", "2019-03-01"], source)
            try await Self.run(["volunteer", "register", "--name", "小明", "--id-number", Self.minor, "--phone", "13700000000",
                          "--district", "210682002", "--registered-on", "2020-01-01",
                          "--guardian-name", "张建国", "--guardian-phone", Self.guardianPhone, "--guardian-consent"], source)
            let exported = try await Self.run(["volunteer", "export", "--format", "csv", "--reveal"], source).stdout
            let url = try Self.file(exported)
            try await Self.withCity { target in
                try await Self.run(["volunteer", "import", url.path], target)
                let listed = try await Self.run(["volunteer", "list", "--format", "csv", "--reveal"], target).stdout
                #expect(listed.contains(Self.person) && listed.contains(Self.minor))
                // The same export into the database it came from adds nothing.
                let again = try await Self.run(["volunteer", "import", url.path], source)
                #expect(again.stderr.contains("0 applied, 2 already present"))
            }
        }
    }
}

extension RegistryCLITests {
    @Test func districtsAndPopulationFromTheCommandLine() async throws {
        try await Self.withCity { db in
            let districts = try await Self.run(["district", "list", "--format", "json"], db).stdout
            #expect(districts.contains("\"code\": \"210682001\"") && districts.contains("\"built_up\": true"))
            let duplicate = try await Self.run(["district", "add", "--code", "210682001", "--name", "重复"], db, status: 1)
            #expect(duplicate.stderr == "vledger: error: code \"210682001\": district already exists (凤凰城街道)\n")
            let url = try Self.file("district_code,year,residents,source\n210682001,2019,210000,统计年鉴\n210682002,2019,95000,\n")
            let imported = try await Self.run(["population", "import", url.path], db)
            #expect(imported.stdout.isEmpty)
            #expect(imported.stderr.contains("2 rows (UTF-8), 2 applied, 0 already present"))
            #expect(try await Self.run(["population", "import", url.path], db).stderr.contains("0 applied, 2 already present"))
            try await Self.run(["population", "set", "--district", "210682001", "--year", "2019", "--residents", "212000"], db)
            let inForce = try await Self.run(["population", "list", "--district", "210682001", "--format", "csv"], db).stdout
            #expect(inForce.split(separator: "\n").count == 2)
            #expect(inForce.contains(",2019,212000,"))
            let revisions = try await Self.run(["population", "list", "--district", "210682001", "--revisions", "--format", "json"], db).stdout
            #expect(revisions.contains("\"residents\": 210000") && revisions.contains("\"residents\": 212000"))
            #expect(revisions.contains("\"in_force\": false") && revisions.contains("\"in_force\": true"))
            let bad = try await Self.run(["population", "set", "--district", "210682009", "--year", "2019", "--residents", "1"], db, status: 1)
            #expect(bad.stderr == "vledger: error: district \"210682009\": no such district (add it with `vledger district add`)\n")
        }
    }
}

extension RegistryCLITests {
    @Test func gb18030FileFromExcelThroughTheCommandLine() async throws {
        try await Self.withCity { db in
            let text = "name,id_number,phone,district_code,registered_on\r\n欧阳娜娜,\(Self.person),\(Self.phone),210682001,2019-03-01\r\n"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
            process.arguments = ["-f", "UTF-8", "-t", "GB18030"]
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            input.fileHandleForWriting.write(Data(text.utf8))
            try input.fileHandleForWriting.close()
            let bytes = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let url = try Self.file("")
            try bytes.write(to: url)
            let imported = try await Self.run(["volunteer", "import", url.path], db)
            #expect(imported.stderr.contains("1 rows (GB18030), 1 applied"))
            #expect(try await Self.run(["volunteer", "list", "--format", "csv"], db).stdout.contains("VL00000001,欧阳娜娜,"))
        }
    }
}
