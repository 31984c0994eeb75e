import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// README's "Who does what", one test per row: every command of the row run through the binary as
/// a real login of that role (row-level security, column grants and policies as in production),
/// and the commands the role may not run refused with one clear line, nothing written.
struct RoleWorkflowCLITests {
    static let own = "210682001"
    static let other = "210682002"

    /// As `url`; expects exit 0.
    @discardableResult
    static func ok(_ arguments: [String], as url: String, stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIRunner.Result {
        let result = try await CLIRunner.run(arguments, database: nil, stdin: stdin, environment: ["VLEDGER_DATABASE_URL": url])
        #expect(result.status == 0, "vledger \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// As `url`; expects a non-zero exit, nothing on standard output and one line on standard error
    /// that starts "vledger: error: " and contains `reason`.
    static func refused(_ arguments: [String], as url: String, _ reason: String, stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let result = try await CLIRunner.run(arguments, database: nil, stdin: stdin, environment: ["VLEDGER_DATABASE_URL": url])
        let command = "vledger \(arguments.joined(separator: " "))"
        #expect(result.status != 0, "\(command) should be refused", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(command): \(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("vledger: error: ") && result.stderr.contains(reason), "\(command): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(command): one line: \(result.stderr)", sourceLocation: sourceLocation)
    }

    /// Rows of every table a role writes, to show a refusal wrote nothing.
    static func counts(_ database: TestDatabase) async throws -> String {
        let admin = try await database.connect()
        let text = try await admin.query("""
            SELECT concat_ws(' ', (SELECT count(*) FROM district), (SELECT count(*) FROM population_revision),
                   (SELECT count(*) FROM volunteer), (SELECT count(*) FROM volunteer_district),
                   (SELECT count(*) FROM volunteer_deregistration), (SELECT count(*) FROM volunteer_correction),
                   (SELECT count(*) FROM activity), (SELECT count(*) FROM activity_organiser),
                   (SELECT count(*) FROM hours_entry), (SELECT count(*) FROM hours_decision),
                   (SELECT count(*) FROM hours_checkin), (SELECT count(*) FROM hours_checkout),
                   (SELECT count(*) FROM statement_issue), (SELECT count(*) FROM app_user))
            """).single().decode(0, as: String.self)
        await admin.close()
        return text
    }

    /// Two built-up districts with 2024 populations, set up by the database owner.
    static func withCity(_ body: @Sendable (TestDatabase, LoginMaker, String) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            let owner = database.connectionString
            try await ok(["district", "add", "--code", own, "--name", "凤凰城街道", "--built-up"], as: owner)
            try await ok(["district", "add", "--code", other, "--name", "元宝区街道", "--built-up"], as: owner)
            try await ok(["population", "set", "--district", own, "--year", "2024", "--residents", "1000"], as: owner)
            try await ok(["population", "set", "--district", other, "--year", "2024", "--residents", "2000"], as: owner)
            try await TestLogins.with(database) { logins in try await body(database, logins, owner) }
        }
    }

    static func file(_ name: String, _ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-roles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func id(_ sequence: Int) -> String { TestIDNumber.make(birth: "19800101", sequence: sequence) }

    // MARK: community staff

    @Test func communityStaffRunTheirWholeWorkflowAsTheirOwnLogin() async throws {
        try await Self.withCity { database, logins, owner in
            let staff = try await logins.connectionString(as: try await logins.login("staff", district: Self.own))
            let otherStaff = try await logins.connectionString(as: try await logins.login("staff", district: Self.other))

            // register / import / show / list / update / move / deregister / export / list --inactive
            let registered = try await Self.ok(["volunteer", "register", "--name", "张伟", "--id-number", Self.id(1), "--phone", "13812345678",
                                                "--district", Self.own, "--registered-on", "2024-01-05"], as: staff)
            #expect(registered.stdout == "VL00000001\n")
            let csv = try Self.file("volunteers.csv", """
                name,id_number,phone,district_code,registered_on
                李娜,\(Self.id(2)),13812345679,\(Self.own),2024-01-10
                王芳,\(Self.id(3)),13812345670,\(Self.own),2024-01-10

                """)
            let imported = try await Self.ok(["volunteer", "import", csv], as: staff)
            #expect(imported.stderr.contains("2 applied"), "\(imported.stderr)")
            let shown = try await Self.ok(["volunteer", "show", "VL00000002", "--format", "json"], as: staff)
            #expect(shown.stdout.contains("\"name\": \"李娜\"") && shown.stdout.contains("\"\(Self.own)\""), "\(shown.stdout)")
            #expect(!shown.stdout.contains(Self.id(2)), "masked without --reveal")
            let revealed = try await Self.ok(["volunteer", "show", "VL00000002", "--reveal"], as: staff)
            #expect(revealed.stdout.contains(Self.id(2)), "staff of the district may see it in full")
            let listed = try await Self.ok(["volunteer", "list", "--format", "csv"], as: staff)
            #expect(listed.stdout.split(separator: "\n").count == 4, "header and three volunteers: \(listed.stdout)")
            try await Self.ok(["volunteer", "update", "VL00000001", "--phone", "13900000000"], as: staff)
            try await Self.ok(["volunteer", "move", "VL00000002", "--district", Self.other, "--on", "2024-06-01"], as: staff)
            try await Self.ok(["volunteer", "deregister", "VL00000003", "--on", "2024-07-01", "--reason", "迁出本市"], as: staff)
            let exported = try await Self.ok(["volunteer", "export", "--reveal"], as: staff)
            #expect(exported.stdout.contains("张伟,\(Self.id(1)),13900000000,\(Self.own),2024-01-05"), "\(exported.stdout)")
            let inactive = try await Self.ok(["volunteer", "list", "--inactive", "--year", "2024", "--format", "csv"], as: staff)
            #expect(inactive.stdout.contains("VL00000001"), "\(inactive.stdout)")

            // Their metrics: their district only, labelled partial, no city row.
            let metrics = try await Self.ok(["metrics", "--year", "2024", "--format", "json"], as: staff)
            #expect(metrics.stdout.contains("\"city\": null") && metrics.stdout.contains("\"partial\": true"), "\(metrics.stdout)")
            #expect(!metrics.stdout.contains("\"code\": \"\(Self.other)\""))
            #expect(metrics.stderr.contains("warning: partial report"), "\(metrics.stderr)")

            // Another district's volunteer, and what other roles do: refused, nothing written.
            try await Self.ok(["volunteer", "register", "--name", "赵敏", "--id-number", Self.id(4), "--phone", "13812345671",
                               "--district", Self.other, "--registered-on", "2024-01-05"], as: otherStaff)
            let before = try await Self.counts(database)
            try await Self.refused(["volunteer", "register", "--name", "钱多", "--id-number", Self.id(5), "--phone", "13812345672",
                                    "--district", Self.other, "--registered-on", "2024-01-05"], as: staff, "only into their own district")
            let foreign = try Self.file("foreign.csv", """
                name,id_number,phone,district_code,registered_on
                孙悟,\(Self.id(6)),13812345673,\(Self.own),2024-01-10
                周杰,\(Self.id(7)),13812345674,\(Self.other),2024-01-10

                """)
            try await Self.refused(["volunteer", "import", foreign], as: staff, "only into their own district")
            try await Self.refused(["volunteer", "show", "VL00000004"], as: staff, "not a volunteer of your district \(Self.own)")
            try await Self.refused(["volunteer", "update", "VL00000004", "--phone", "13900000001"], as: staff, "VL00000004")
            try await Self.refused(["volunteer", "deregister", "VL00000004", "--on", "2024-07-01", "--reason", "x"], as: staff, "VL00000004")
            try await Self.refused(["activity", "create", "--title", "植树", "--district", Self.own, "--organiser", "张",
                                    "--starts", "2024-03-01 08:00", "--ends", "2024-03-01 12:00"], as: staff, "permission denied")
            try await Self.refused(["district", "add", "--code", "210682003", "--name", "三街道"], as: staff, "permission denied")
            try await Self.refused(["population", "set", "--district", Self.own, "--year", "2024", "--residents", "5"], as: staff, "permission denied")
            try await Self.refused(["user", "add", "t_by_staff_x", "--role", "admin"], as: staff, "permission denied")
            try await Self.refused(["audit", "verify"], as: staff, "permission denied")
            #expect(try await Self.counts(database) == before)
            _ = owner
        }
    }

    // MARK: activity organisers

    /// A day this week in the city's time zone: hours of an activity that ended days ago are
    /// recorded within the 10 working days (0161), so they are the organisers' to decide; those
    /// of 2024 would be late entries, which only the office approves.
    static func recentDay(_ daysAgo: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(-Double(daysAgo) * 86_400))
    }

    @Test func organisersRunTheirWholeWorkflowAsTheirOwnLogin() async throws {
        try await Self.withCity { database, logins, owner in
            for n in 1...3 {
                try await Self.ok(["volunteer", "register", "--name", "志愿者\(n)", "--id-number", Self.id(n), "--phone", "1381234567\(n)",
                                   "--district", Self.own, "--registered-on", "2024-01-05"], as: owner)
            }
            let first = try await logins.login("organiser")
            let organiser = try await logins.connectionString(as: first)
            let second = try await logins.login("organiser")
            let colleague = try await logins.connectionString(as: second)
            let stranger = try await logins.connectionString(as: try await logins.login("organiser"))

            // activity create / import / list / show, and a colleague to approve what they record
            let created = try await Self.ok(["activity", "create", "--title", "社区清扫", "--district", Self.own, "--organiser", "张老师",
                                             "--starts", "\(Self.recentDay(3)) 08:00", "--ends", "\(Self.recentDay(3)) 12:00"], as: organiser)
            #expect(created.stdout == "1\n")
            let activities = try Self.file("activities.csv", """
                title,district_code,organiser,starts,ends
                植树,\(Self.own),李老师,\(Self.recentDay(2)) 08:00,\(Self.recentDay(2)) 11:00
                巡逻,\(Self.own),李老师,\(Self.recentDay(1)) 08:00,\(Self.recentDay(1)) 12:00

                """)
            let imported = try await Self.ok(["activity", "import", activities], as: organiser)
            #expect(imported.stdout == "2\n3\n")
            #expect(try await Self.ok(["activity", "list"], as: organiser).stdout.contains("植树"))
            #expect(try await Self.ok(["activity", "show", "1"], as: organiser).stdout.contains("社区清扫"))
            for activity in ["1", "2", "3"] {
                try await Self.ok(["activity", "add-organiser", activity, second], as: organiser)
            }

            // hours record / approve / correct / reject / attendance / check-in / check-out / list, activity close
            let entry = try await Self.ok(["hours", "record", "--activity", "1", "--volunteer", "VL00000001", "--minutes", "120",
                                           "--start", "\(Self.recentDay(3)) 08:00"], as: organiser)
            #expect(entry.stdout == "1\n")
            try await Self.refused(["hours", "approve", "1"], as: organiser, "you recorded it yourself")
            try await Self.ok(["hours", "approve", "1"], as: colleague)
            let correction = try await Self.ok(["hours", "correct", "1", "--delta-minutes", "-30", "--reason", "提前离开"], as: organiser)
            #expect(correction.stdout == "2\n")
            try await Self.ok(["hours", "reject", "2", "--reason", "核实后未提前离开"], as: colleague)
            let attended = try await Self.ok(["hours", "attendance", "--activity", "2", "VL00000002"], as: organiser)
            #expect(attended.stdout == "3\n")
            try await Self.ok(["hours", "check-in", "--activity", "3", "--volunteer", "VL00000003", "--at", "\(Self.recentDay(1)) 08:05"], as: organiser)
            try await Self.ok(["hours", "check-out", "--activity", "3", "--volunteer", "VL00000003", "--at", "\(Self.recentDay(1)) 11:05"], as: organiser)
            try await Self.ok(["hours", "check-in", "--activity", "3", "--volunteer", "VL00000001", "--at", "\(Self.recentDay(1)) 08:10"], as: organiser)
            let closed = try await Self.ok(["activity", "close", "3"], as: organiser)
            #expect(closed.stderr.contains("1 open check-in(s) closed automatically"), "\(closed.stderr)")
            try await Self.ok(["hours", "approve", "3", "4", "5"], as: colleague)
            let listed = try await Self.ok(["hours", "list", "--format", "csv"], as: organiser)
            #expect(listed.stdout.split(separator: "\n").count == 6, "header and five entries: \(listed.stdout)")
            let approved = try await Self.ok(["metrics", "--year", String(Self.recentDay(1).prefix(4)), "--format", "json"], as: organiser)
            #expect(approved.stdout.contains("\"partial\": false"), "organisers read every volunteer, so their report is the city's")

            // Someone else's activity, their own approval, and other roles' commands: refused, nothing written.
            let pending = try await Self.ok(["hours", "record", "--activity", "1", "--volunteer", "VL00000002", "--minutes", "30",
                                             "--start", "\(Self.recentDay(3)) 10:00"], as: organiser)
            #expect(pending.stdout == "6\n")
            let before = try await Self.counts(database)
            try await Self.refused(["hours", "record", "--activity", "1", "--volunteer", "VL00000003", "--minutes", "30",
                                    "--start", "\(Self.recentDay(3)) 10:00"], as: stranger, "not one of your activities")
            try await Self.refused(["hours", "approve", "6"], as: stranger, "not one of your activities")
            try await Self.refused(["hours", "approve", "6"], as: organiser, "you recorded it yourself")
            try await Self.refused(["activity", "add-organiser", "1", first], as: colleague, "only its owner adds or removes organisers")
            try await Self.refused(["activity", "remove-organiser", "1", second], as: stranger, "only its owner adds or removes organisers")
            try await Self.refused(["volunteer", "register", "--name", "钱多", "--id-number", Self.id(9), "--phone", "13812345672",
                                    "--district", Self.own, "--registered-on", "2024-01-05"], as: organiser, "permission denied")
            try await Self.refused(["population", "set", "--district", Self.own, "--year", "2024", "--residents", "5"], as: organiser, "permission denied")
            try await Self.refused(["statement", "VL00000001"], as: organiser, "permission denied")
            #expect(try await Self.counts(database) == before)
        }
    }

    /// The organiser's `hours import` on their own activity: the volunteers are resolved by an
    /// owner-rights function (organisers may not read `volunteer`), another organiser's import is
    /// refused, and a colleague approves.
    @Test func organisersImportHoursOnTheirOwnActivity() async throws {
        try await Self.withCity { database, logins, owner in
            for n in 1...2 {
                try await Self.ok(["volunteer", "register", "--name", "志愿者\(n)", "--id-number", Self.id(n), "--phone", "1381234567\(n)",
                                   "--district", Self.own, "--registered-on", "2024-01-05"], as: owner)
            }
            let first = try await logins.login("organiser")
            let organiser = try await logins.connectionString(as: first)
            let second = try await logins.login("organiser")
            let colleague = try await logins.connectionString(as: second)
            let stranger = try await logins.connectionString(as: try await logins.login("organiser"))
            try await Self.ok(["activity", "create", "--title", "社区清扫", "--district", Self.own, "--organiser", "张老师",
                               "--starts", "\(Self.recentDay(3)) 08:00", "--ends", "\(Self.recentDay(3)) 12:00"], as: organiser)
            try await Self.ok(["activity", "add-organiser", "1", second], as: organiser)
            let hours = try Self.file("hours.csv", """
                volunteer,activity,start,minutes
                VL00000001,1,\(Self.recentDay(3)) 08:00,120
                \(Self.id(2)),1,\(Self.recentDay(3)) 09:00,60

                """)
            let before = try await Self.counts(database)
            try await Self.refused(["hours", "import", hours], as: stranger, "not one of your activities")
            #expect(try await Self.counts(database) == before)
            let imported = try await Self.ok(["hours", "import", hours], as: organiser)
            #expect(imported.stderr.contains("2 applied"), "\(imported.stderr)")
            // The refused import above used up identity values: ask for the entries' ids.
            let reader = try await database.connect()
            let ids: [Int64] = try await reader.query("SELECT id FROM hours_entry ORDER BY id").map { try $0.decode(0) }
            await reader.close()
            #expect(ids.count == 2)
            try await Self.ok(["hours", "approve"] + ids.map(String.init), as: colleague)
            let listed = try await Self.ok(["hours", "list", "--activity", "1", "--format", "csv"], as: organiser)
            #expect(listed.stdout.split(separator: "\n").count == 3, "\(listed.stdout)")
        }
    }

    // MARK: civilisation office

    @Test func theOfficeRunsItsWholeWorkflowAsItsOwnLogin() async throws {
        try await Self.withCity { database, logins, owner in
            try await Self.ok(["volunteer", "register", "--name", "张伟", "--id-number", Self.id(1), "--phone", "13812345678",
                               "--district", Self.own, "--registered-on", "2024-01-05"], as: owner)
            let activity = try await Self.ok(["activity", "create", "--title", "社区清扫", "--district", Self.own, "--organiser", "张老师",
                                              "--starts", "2024-03-01 08:00", "--ends", "2024-03-01 12:00"], as: owner).output
            try await Self.ok(["hours", "record", "--activity", activity, "--volunteer", "VL00000001", "--minutes", "180",
                               "--start", "2024-03-01 08:30"], as: owner)
            try await Self.ok(["hours", "approve", "1"], as: owner)
            let office = try await logins.connectionString(as: try await logins.login("office"))

            // district add / list, population set / list / import
            try await Self.ok(["district", "add", "--code", "210682003", "--name", "宝山镇"], as: office)
            #expect(try await Self.ok(["district", "list"], as: office).stdout.contains("宝山镇"))
            try await Self.ok(["population", "set", "--district", "210682003", "--year", "2024", "--residents", "800"], as: office)
            let population = try Self.file("population.csv", "district_code,year,residents,source\n210682003,2025,820,统计年鉴\n")
            try await Self.ok(["population", "import", population], as: office)
            let figures = try await Self.ok(["population", "list", "--format", "csv"], as: office).stdout
            #expect(figures.contains("210682003") && figures.contains("820"), "\(figures)")

            // metrics (the whole city), hours anomalies, statement, audit log / verify
            let metrics = try await Self.ok(["metrics", "--year", "2024", "--format", "json"], as: office)
            #expect(metrics.stdout.contains("\"partial\": false") && metrics.stdout.contains("\"registered\": 1"))
            #expect(!metrics.stdout.contains("\"city\": null"))
            try await Self.ok(["metrics", "--year", "2024", "--format", "csv"], as: office)
            try await Self.ok(["hours", "anomalies", "--year", "2024"], as: office)
            let statement = try await Self.ok(["statement", "VL00000001", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "json"], as: office)
            #expect(statement.stdout.contains("210682********"), "masked ID number: \(statement.stdout)")
            #expect(!statement.stdout.contains(Self.id(1)))
            let byID = try await Self.ok(["statement", Self.id(1), "--from", "2024-01-01", "--to", "2024-12-31"], as: office)
            #expect(byID.stdout.contains("VL00000001"))
            #expect(try await Self.ok(["audit", "log", "--table", "district", "--limit", "5"], as: office).stdout.contains("INSERT"))
            #expect(try await Self.ok(["audit", "verify"], as: office).stdout.hasPrefix("audit trail intact: "))

            // What other roles do, and a bad figure: refused, nothing written.
            let before = try await Self.counts(database)
            try await Self.refused(["population", "set", "--district", "210682003", "--year", "2024", "--residents", "0"], as: office,
                                   "residents \"0\": must be a positive whole number")
            try await Self.refused(["volunteer", "register", "--name", "钱多", "--id-number", Self.id(9), "--phone", "13812345672",
                                    "--district", Self.own, "--registered-on", "2024-01-05"], as: office, "permission denied")
            try await Self.refused(["activity", "create", "--title", "植树", "--district", Self.own, "--organiser", "张",
                                    "--starts", "2024-03-01 08:00", "--ends", "2024-03-01 12:00"], as: office, "permission denied")
            try await Self.refused(["hours", "record", "--activity", activity, "--volunteer", "VL00000001", "--minutes", "10",
                                    "--start", "2024-03-01 11:40"], as: office, "permission denied")
            try await Self.refused(["user", "add", "t_by_office_x", "--role", "admin"], as: office, "permission denied")
            #expect(try await Self.counts(database) == before)
        }
    }

    // MARK: administrator

    @Test func administratorsRunTheirWholeWorkflowAsTheirOwnLogin() async throws {
        try await Self.withCity { database, logins, _ in
            let adminLogin = try await logins.login("admin")
            let admin = try await logins.connectionString(as: adminLogin)
            let newStaff = "t_adm_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
            await logins.adopt(newStaff)

            // user add / list, db migrate / status; the new login works as its role
            try await Self.ok(["user", "add", newStaff, "--role", "staff", "--district", Self.own], as: admin)
            let users = try await Self.ok(["user", "list", "--format", "json"], as: admin)
            #expect(users.stdout.contains("\"login\": \"\(newStaff)\"") && users.stdout.contains("\"created_by\": \"\(adminLogin)\""))
            let migrated = try await Self.ok(["db", "migrate"], as: admin)
            #expect(migrated.stderr.contains("up to date") || migrated.stdout.contains("up to date"), "\(migrated.stdout) \(migrated.stderr)")
            let status = try await Self.ok(["db", "status"], as: admin)
            #expect(status.stdout.contains("connected as \(adminLogin)") && status.stdout.contains("applied  0062_role_workflows.sql"), "\(status.stdout)")
            let asNewStaff = try await logins.connectionString(as: newStaff)
            let registered = try await Self.ok(["volunteer", "register", "--name", "张伟", "--id-number", Self.id(1), "--phone", "13812345678",
                                                "--district", Self.own, "--registered-on", "2024-01-05"], as: asNewStaff)
            #expect(registered.stdout == "VL00000001\n")
            #expect(try await Self.ok(["metrics", "--year", "2024", "--format", "json"], as: admin).stdout.contains("\"partial\": false"))

            // db stop is for the embedded server only; bad logins are refused. Nothing written.
            let before = try await Self.counts(database)
            try await Self.refused(["db", "stop"], as: admin, "db stop only stops the embedded database")
            try await Self.refused(["user", "add", "t_bad_role_x", "--role", "mayor"], as: admin, "The value 'mayor' is invalid for '--role <role>'")
            try await Self.refused(["user", "add", newStaff, "--role", "office"], as: admin, "already a user of this database")
            try await Self.refused(["user", "add", "t_no_district_x", "--role", "staff"], as: admin, "staff need a district")
            #expect(try await Self.counts(database) == before)
        }
    }
}
