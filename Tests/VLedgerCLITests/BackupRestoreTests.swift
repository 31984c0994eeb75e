import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// deploy/create-database.sh → fill → deploy/backup.sh → deploy/restore.sh into an empty database:
/// every figure and the audit chain come back identical to the digit.
/// (The metrics command lives on another branch: the figures here are SQL aggregates over every
/// table the metrics read, plus the audit chain head.)
struct BackupRestoreTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy").standardized

    /// libpq environment for the scripts: the test server's host, port and superuser.
    static func serverEnvironment() throws -> [String: String] {
        guard let components = URLComponents(string: try TestServer.adminConnectionString()), components.host != nil else {
            throw ScriptFailure(message: "these tests need VLEDGER_TEST_DATABASE_URL as a postgresql:// URL")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PGHOST"] = components.host ?? "127.0.0.1"
        environment["PGPORT"] = String(components.port ?? 5432)
        environment["PGUSER"] = components.user ?? "postgres"
        if let password = components.password { environment["PGPASSWORD"] = password }
        environment["VLEDGER_BIN"] = CLIRunner.executable().path
        environment.removeValue(forKey: "VLEDGER_DATABASE_URL")
        return environment
    }

    struct ScriptFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    struct ScriptResult {
        let status: Int32
        let stdout: String
        let stderr: String
        var output: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Runs deploy/NAME with bash; output goes through files so that neither stream can fill and block.
    static func script(_ name: String, _ arguments: [String]) throws -> ScriptResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [deploy.appendingPathComponent(name).path] + arguments
        process.environment = try serverEnvironment()
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-script-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out")
        let errURL = base.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return ScriptResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Counts, sums and digests over every table, one line each, plus the audit chain head.
    static let figures: SQL = """
        SELECT string_agg(figure, E'\\n' ORDER BY figure) FROM (
          SELECT 'district ' || count(*) || ' built_up ' || count(*) FILTER (WHERE built_up) FROM district
          UNION ALL SELECT 'population ' || count(*) || ' residents ' || sum(residents) FROM population_revision
          UNION ALL SELECT 'population_in_force ' || sum(residents) FROM (
              SELECT DISTINCT ON (district_code, year) residents FROM population_revision ORDER BY district_code, year, recorded_at DESC, id DESC) p
          UNION ALL SELECT 'volunteer ' || count(*) || ' ' || md5(string_agg(number || name || id_number || phone || registered_on || recorded_at, ',' ORDER BY id)) FROM volunteer
          UNION ALL SELECT 'volunteer_district ' || count(*) || ' ' || md5(string_agg(volunteer_id::text || district_code || effective_from || recorded_at, ',' ORDER BY id)) FROM volunteer_district
          UNION ALL SELECT 'volunteer_deregistration ' || count(*) || ' ' || md5(string_agg(volunteer_id::text || effective_on || reason, ',' ORDER BY volunteer_id)) FROM volunteer_deregistration
          UNION ALL SELECT 'activity ' || count(*) || ' minutes ' || sum(length_minutes) || ' owners ' || string_agg(DISTINCT owner_login, ',') FROM activity
          UNION ALL SELECT 'hours_entry ' || count(*) || ' minutes ' || sum(minutes) || ' corrections ' || count(corrects_id) FROM hours_entry
          UNION ALL SELECT 'hours_decision ' || decision || ' ' || count(*) FROM hours_decision GROUP BY decision
          UNION ALL SELECT 'approved_minutes ' || sum(e.minutes) FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
          UNION ALL SELECT 'approved_minutes_by_district ' || string_agg(district_code || '=' || m, ',' ORDER BY district_code) FROM (
              SELECT a.district_code, sum(e.minutes) AS m FROM hours_entry e
              JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved' JOIN activity a ON a.id = e.activity_id GROUP BY 1) x
          UNION ALL SELECT 'setting ' || string_agg(name || '=' || value, ',' ORDER BY name) FROM setting
          UNION ALL SELECT 'app_user ' || count(*) || ' ' || coalesce(string_agg(login || ':' || role, ',' ORDER BY login), '') FROM app_user
          UNION ALL SELECT 'audit_chain ' || count(*) || ' head ' || max(id) || ' ' || (SELECT hash FROM audit_chain ORDER BY id DESC LIMIT 1) FROM audit_chain
          UNION ALL SELECT 'audit_log ' || count(*) FROM audit_log
          UNION ALL SELECT 'next volunteer number ' || last_value FROM volunteer_number_seq
        ) f(figure)
        """

    /// A small city written with plain SQL by the owner: districts, population with a revision,
    /// volunteers with moves and deregistrations, activities, hours with approvals, rejections and
    /// corrections, and a setting changed.
    static let fill = """
        INSERT INTO district (code, name, built_up) VALUES ('210682001', '凤凰城街道', true), ('210682002', '汤山城街道', true), ('210682100', '农村', false);
        INSERT INTO population_revision (district_code, year, residents, source) VALUES
          ('210682001', 2019, 120000, '统计局'), ('210682002', 2019, 90000, '统计局'), ('210682100', 2019, 30000, '统计局'),
          ('210682001', 2019, 121000, '统计局修订');
        CREATE FUNCTION pg_temp.idn(p_seq int) RETURNS text LANGUAGE plpgsql AS $$
        DECLARE base text := '210682' || to_char(date '1970-01-01' + (p_seq * 37 % 9000), 'YYYYMMDD') || lpad((p_seq % 1000)::text, 3, '0');
                weights int[] := ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]; total int := 0;
        BEGIN FOR i IN 1..17 LOOP total := total + substr(base, i, 1)::int * weights[i]; END LOOP;
              RETURN base || substr('10X98765432', total % 11 + 1, 1); END $$;
        INSERT INTO volunteer (name, id_number, phone, registered_on)
        SELECT '志愿者' || g, pg_temp.idn(g), '138' || lpad(g::text, 8, '0'), date '2018-01-01' + g FROM generate_series(1, 300) g;
        INSERT INTO volunteer_district (volunteer_id, district_code, effective_from)
        SELECT id, (ARRAY['210682001', '210682002', '210682100'])[1 + id % 3], registered_on FROM volunteer;
        INSERT INTO volunteer_district (volunteer_id, district_code, effective_from)
        SELECT id, '210682002', '2019-07-01' FROM volunteer WHERE id % 10 = 0 AND id % 3 <> 1;
        INSERT INTO volunteer_deregistration (volunteer_id, effective_on, reason) SELECT id, '2019-10-01', '搬离' FROM volunteer WHERE id % 25 = 0;
        INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
        SELECT '活动' || g, (ARRAY['210682001', '210682002', '210682100'])[1 + g % 3], '组织者' || g,
               timestamptz '2019-03-01 08:00+08' + g * interval '1 day', timestamptz '2019-03-01 12:00+08' + g * interval '1 day'
        FROM generate_series(1, 40) g;
        INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, source, request_id)
        SELECT v.id, a.id, a.starts_at, 30 + (v.id * a.id) % 200, 'import', 'rq-' || v.id || '-' || a.id
        FROM volunteer v JOIN activity a ON (v.id + a.id) % 7 = 0;
        INSERT INTO hours_decision (entry_id, decision, reason)
        SELECT id, CASE WHEN id % 9 = 0 THEN 'rejected' ELSE 'approved' END, CASE WHEN id % 9 = 0 THEN '重复' END
        FROM hours_entry WHERE id % 5 <> 0;
        INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, corrects_id, reason, source)
        SELECT volunteer_id, activity_id, service_start, -10, id, '多记了', 'correction' FROM hours_entry
        WHERE id % 11 = 0 AND id % 9 <> 0 AND id % 5 <> 0;
        INSERT INTO hours_decision (entry_id, decision) SELECT id, 'approved' FROM hours_entry WHERE source = 'correction';
        UPDATE setting SET value = '16' WHERE name = 'minimum_age';
        """

    static func connect(database: String, user: String? = nil) async throws -> Connection {
        let url = try user.map { try TestServer.connectionString(database: database, user: $0) } ?? TestServer.connectionString(database: database)
        return try await Connection.connect(url)
    }

    static func figures(of database: String) async throws -> String {
        let conn = try await connect(database: database)
        let text = try await conn.query(figures).single().decode(0, as: String.self)
        await conn.close()
        return text
    }

    @Test func aBackupRestoresIntoAnEmptyDatabaseWithIdenticalFiguresAndAuditChain() async throws {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
        let source = "vlrt_\(suffix)"
        let restored = "vlrt_\(suffix)_restored"
        let owner = "vlrt_\(suffix)_owner"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-backup-\(suffix)")
        var staffLogin: String?
        var outsiderLogin: String?
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let created = try Self.script("create-database.sh", [source, owner])
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.output == source)

            // Written by the owner, the non-superuser role the migrations ran as.
            let asOwner = try await Self.connect(database: source, user: owner)
            try await asOwner.withIsolated { db in try db.executeScript(unsafeSQL: Self.fill) }
            let login = "vlrt_\(suffix)_staff"
            staffLogin = login
            try await asOwner.execute("SELECT vl_user_add(\(login), 'staff', '210682001', NULL)")
            await asOwner.close()
            // And a change by a person's login, so the trail holds more than the owner.
            let asStaff = try await Self.connect(database: source, user: login)
            try await asStaff.execute("UPDATE volunteer SET phone = '13999999999' WHERE id = 3")
            // Imports stage rows in temporary tables: the deploy scripts leave that to vledger's roles.
            try await asStaff.execute("CREATE TEMP TABLE staging (line int, name text)")
            await asStaff.close()
            // A login outside vledger's roles cannot even connect to the city's database.
            let outsider = "vlrt_\(suffix)_outsider"
            outsiderLogin = outsider
            let server = try await Connection.connect(try TestServer.adminConnectionString())
            try await server.execute("CREATE ROLE \(unsafeRaw: outsider) LOGIN")
            await server.close()
            let refused = await #expect(throws: PostgresError.self) { _ = try await Self.connect(database: source, user: outsider) }
            #expect(refused?.message.contains("permission denied for database") == true)

            let before = try await Self.figures(of: source)
            #expect(before.contains("hours_entry ") && before.contains("audit_chain "))
            let verifiedBefore = try await CLIRunner.run(["audit", "verify"], database: nil, environment: ["VLEDGER_DATABASE_URL": try TestServer.connectionString(database: source)])
            #expect(verifiedBefore.status == 0, "\(verifiedBefore.stderr)")

            let backup = try Self.script("backup.sh", [source, folder.path])
            #expect(backup.status == 0, "\(backup.stderr)")
            let file = backup.output
            #expect(file.hasPrefix(folder.path + "/vledger-\(source)-") && file.hasSuffix("Z.dump"))
            #expect(FileManager.default.fileExists(atPath: file + ".sha256"))

            let restore = try Self.script("restore.sh", [file, restored])
            #expect(restore.status == 0, "\(restore.stderr)")
            let after = try await Self.figures(of: restored)
            #expect(after == before)
            let verifiedAfter = try await CLIRunner.run(["audit", "verify"], database: nil, environment: ["VLEDGER_DATABASE_URL": try TestServer.connectionString(database: restored)])
            #expect(verifiedAfter.status == 0, "\(verifiedAfter.stderr)")
            #expect(verifiedAfter.stdout == verifiedBefore.stdout, "same links, rows and head hash")

            // The restored database keeps its rules: the same staff login still sees only its district.
            let restoredStaff = try await Self.connect(database: restored, user: login)
            let visible = try await restoredStaff.query("SELECT count(*) FROM volunteer").single().decode(0, as: Int64.self)
            let expected = try await Self.connect(database: source, user: login)
            #expect(visible == (try await expected.query("SELECT count(*) FROM volunteer").single().decode(0, as: Int64.self)))
            await restoredStaff.close()
            await expected.close()

            // Restoring over a database that holds data is refused and changes nothing.
            let again = try Self.script("restore.sh", [file, restored])
            #expect(again.status != 0)
            #expect(again.stderr.contains("is not empty"))
            #expect(try await Self.figures(of: restored) == before)
        } catch {
            try? await Self.cleanUp(databases: [source, restored], roles: [staffLogin, outsiderLogin, owner].compactMap { $0 })
            throw error
        }
        try await Self.cleanUp(databases: [source, restored], roles: [staffLogin, outsiderLogin, owner].compactMap { $0 })
    }

    static func cleanUp(databases: [String], roles: [String]) async throws {
        let admin = try await Connection.connect(try TestServer.adminConnectionString())
        for database in databases {
            try await admin.execute("DROP DATABASE IF EXISTS \(unsafeRaw: "\"" + database + "\"") WITH (FORCE)")
        }
        for role in roles {
            try await admin.execute("DROP ROLE IF EXISTS \(unsafeRaw: "\"" + role + "\"")")
        }
        await admin.close()
    }
}
