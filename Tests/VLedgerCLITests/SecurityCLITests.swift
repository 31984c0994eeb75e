import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// `vledger user …` and `vledger audit …` as whole processes, connected as the person's login.
struct SecurityCLITests {
    static func run(_ arguments: [String], as url: String, stdin: String? = nil, environment: [String: String] = [:]) async throws -> CLIRunner.Result {
        try await CLIRunner.run(arguments, database: nil, stdin: stdin, environment: environment.merging(["VLEDGER_DATABASE_URL": url]) { a, _ in a })
    }

    @Test func adminsAddLoginsThroughTheCLIAndOthersAreRefused() async throws {
        try await TestDatabase.with { database in
            let admin = try await database.connect()
            try await admin.execute("INSERT INTO district (code, name) VALUES ('210682001', '凤凰城街道')")
            await admin.close()
            try await TestLogins.with(database) { logins in
                let adminLogin = try await logins.login("admin")
                let asAdmin = try await logins.connectionString(as: adminLogin)
                let staffName = "t_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
                await logins.adopt(staffName)

                // The password comes on standard input, never on the command line.
                let added = try await Self.run(["user", "add", staffName, "--role", "staff", "--district", "210682001", "--password"], as: asAdmin, stdin: "s3cret pass\n")
                #expect(added.status == 0, "\(added.stderr)")
                let stored = try await Self.scalar(database, "SELECT rolpassword FROM pg_authid WHERE rolname = \(staffName)")
                #expect(stored.hasPrefix("SCRAM-SHA-256$"))

                let listed = try await Self.run(["user", "list", "--format", "json"], as: asAdmin)
                #expect(listed.status == 0)
                #expect(listed.stdout.contains("\"login\": \"\(staffName)\"") && listed.stdout.contains("\"district\": \"210682001\""))
                #expect(listed.stdout.contains("\"created_by\": \"\(adminLogin)\""))

                let refusals: [([String], String)] = [
                    (["user", "add", "x'; DROP TABLE volunteer; --", "--role", "office"], "vledger: error: login \"x'; DROP TABLE volunteer; --\": must be lower-case letters"),
                    (["user", "add", "Upper", "--role", "office"], "vledger: error: login \"Upper\": must be lower-case letters"),
                    (["user", "add", "t_no_district", "--role", "staff"], "vledger: error: district: staff need a district (--district CODE)"),
                    (["user", "add", "t_bad_district", "--role", "staff", "--district", "999999"], "vledger: error: district \"999999\": no such district"),
                    (["user", "add", staffName, "--role", "office"], "vledger: error: login \"\(staffName)\": already a user of this database"),
                ]
                for (arguments, message) in refusals {
                    let refused = try await Self.run(arguments, as: asAdmin)
                    #expect(refused.status != 0)
                    #expect(refused.stderr.hasPrefix(message), "\(refused.stderr)")
                    #expect(refused.stderr.split(separator: "\n").count == 1, "one line: \(refused.stderr)")
                }
                // A staff member cannot make logins, nor read the audit trail.
                let asStaff = try await logins.connectionString(as: staffName)
                let byStaff = try await Self.run(["user", "add", "t_by_staff", "--role", "admin"], as: asStaff, environment: ["PGPASSWORD": "s3cret pass"])
                #expect(byStaff.status != 0)
                #expect(byStaff.stderr.hasPrefix("vledger: error: permission denied: your database login may not do this"), "\(byStaff.stderr)")
                let verifyByStaff = try await Self.run(["audit", "verify"], as: asStaff, environment: ["PGPASSWORD": "s3cret pass"])
                #expect(verifyByStaff.status != 0)
                #expect(verifyByStaff.stderr.hasPrefix("vledger: error: permission denied"), "\(verifyByStaff.stderr)")
                #expect(try await Self.scalar(database, "SELECT count(*)::text FROM app_user") == "2")
                #expect(try await Self.scalar(database, "SELECT count(*)::text FROM pg_roles WHERE rolname IN ('t_no_district', 't_bad_district', 't_by_staff', 'upper')") == "0")
            }
        }
    }

    @Test func auditVerifyExitsZeroOnlyWhenIntactAndNamesTheBrokenLink() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let office = try await logins.connectionString(as: try await logins.login("office"))
                let asOffice = try await logins.connect(as: try await logins.login("office"))
                try await asOffice.execute("INSERT INTO district (code, name) VALUES ('210682001', '凤凰城街道'), ('210682002', 'Robert''); DROP TABLE district; --')")
                try await asOffice.execute("UPDATE district SET built_up = true WHERE code = '210682001'")
                await asOffice.close()

                let intact = try await Self.run(["audit", "verify"], as: office)
                #expect(intact.status == 0, "\(intact.stderr)")
                #expect(intact.stdout.hasPrefix("audit trail intact: "))

                let log = try await Self.run(["audit", "log", "--table", "district", "--format", "json", "--limit", "10"], as: office)
                #expect(log.status == 0, "\(log.stderr)")
                #expect(log.stdout.contains("\"operation\": \"UPDATE\"") && log.stdout.contains("\"operation\": \"INSERT\""))
                #expect(log.stdout.contains("\"table\": \"district\"") && !log.stdout.contains("\"table\": \"setting\""))
                #expect(log.stdout.contains("Robert'); DROP TABLE district; --"))
                let future = try await Self.run(["audit", "log", "--since", "2999-01-01 00:00"], as: office)
                #expect(future.status == 0 && future.stdout.split(separator: "\n").count == 2, "header only: \(future.stdout)")
                let badSince = try await Self.run(["audit", "log", "--since", "yesterday"], as: office)
                #expect(badSince.status != 0 && badSince.stderr.hasPrefix("vledger: error: since \"yesterday\": must be a time"))

                let admin = try await database.connect()
                let link = try await admin.query("SELECT id FROM audit_chain WHERE table_name = 'district' AND operation = 'UPDATE'").single().decode(0, as: Int64.self)
                try await admin.transaction { db in
                    try db.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_refuse_change")
                    try db.execute("UPDATE audit_log SET new_row = replace(new_row::text, 'true', 'false')::json WHERE link_id = \(link)")
                    try db.execute("ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_refuse_change")
                }
                await admin.close()
                let broken = try await Self.run(["audit", "verify"], as: office)
                #expect(broken.status == 1)
                #expect(broken.stdout.isEmpty)
                #expect(broken.stderr.hasPrefix("vledger: error: audit trail broken at link \(link): its audit rows were changed (UPDATE district by "), "\(broken.stderr)")
            }
        }
    }

    static func scalar(_ database: TestDatabase, _ sql: SQL) async throws -> String {
        let admin = try await database.connect()
        let value = try await admin.query(sql).single().decode(0, as: String.self)
        await admin.close()
        return value
    }
}

extension SecurityCLITests {
    @Test func benchAuditMeasuresBothWaysAndLeavesNothingBehind() async throws {
        try await TestDatabase.with { database in
            let before = try await Self.scalar(database, "SELECT (SELECT count(*) FROM audit_chain) || ' ' || (SELECT count(*) FROM volunteer) || ' ' || (SELECT count(*) FROM hours_entry)")
            let result = try await CLIRunner.run(["bench", "audit", "--rows", "500", "--rounds", "1"], database: database)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            try #require(lines.count == 4)
            #expect(lines[0].hasPrefix("500 hours rows, best of 1"))
            #expect(lines[2].hasPrefix("COPY") && lines[3].hasPrefix("INSERT … SELECT") && lines[3].hasSuffix("×"))
            let after = try await Self.scalar(database, "SELECT (SELECT count(*) FROM audit_chain) || ' ' || (SELECT count(*) FROM volunteer) || ' ' || (SELECT count(*) FROM hours_entry)")
            #expect(after == before)
            let triggers = try await Self.scalar(database, "SELECT count(*)::text FROM pg_trigger WHERE tgrelid = 'hours_entry'::regclass AND tgname LIKE '%vl_audit%' AND tgenabled = 'O'")
            #expect(triggers == "5", "the audit triggers are enabled again")
        }
    }

    @Test func aLoginNameTakenOnTheServerIsRefusedClearly() async throws {
        try await TestDatabase.with { database in
            let taken = "t_taken_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
            let admin = try await Connection.connect(try TestServer.adminConnectionString())
            try await admin.execute("CREATE ROLE \(unsafeRaw: taken) NOLOGIN")
            let result = try await CLIRunner.run(["user", "add", taken, "--role", "admin"], database: database)
            try await admin.execute("DROP ROLE \(unsafeRaw: taken)")
            await admin.close()
            #expect(result.status != 0)
            #expect(result.stderr == "vledger: error: login \"\(taken)\": a role of that name already exists on this server\n")
            #expect(try await Self.scalar(database, "SELECT count(*)::text FROM app_user") == "0")
        }
    }
}
