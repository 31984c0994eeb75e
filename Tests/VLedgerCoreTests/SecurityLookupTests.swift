import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 11, section 4 (0090): lookups by ID number cannot recover a full ID number from a
/// masked one. Every attack runs as a real login through plain SQL (and the CLI).
struct SecurityLookupTests {
    static let districtA = SecurityRolesTests.districtA
    static let districtB = SecurityRolesTests.districtB

    /// Candidates for the volunteer of district B (TestIDNumber.make(sequence: 2), born
    /// 1980-01-01), as an attacker who read the masked number makes them: same area and last
    /// four characters (check digit included), other birth dates; the true one at `truth`.
    static func candidates(_ count: Int, truth: Int) -> [String] {
        var dates: [String] = []
        let truthID = TestIDNumber.make(sequence: 2)
        var day = Calendar(identifier: .gregorian).date(from: DateComponents(year: 1900, month: 1, day: 1))!
        let format = DateFormatter()
        format.dateFormat = "yyyyMMdd"
        format.timeZone = TimeZone(identifier: "UTC")
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        while dates.count < count {
            let text = format.string(from: day)
            if text != "19800101", TestIDNumber.make(birth: text, sequence: 2).last == truthID.last { dates.append(text) }
            day = utc.date(byAdding: .day, value: 1, to: day)!
        }
        var ids = dates.map { TestIDNumber.make(birth: $0, sequence: 2) }
        ids.insert(TestIDNumber.make(sequence: 2), at: truth)
        return Array(ids.prefix(count))
    }

    static func figures(_ database: TestDatabase) async throws -> String {
        let admin = try await database.connect()
        let text = try await admin.query("""
            SELECT (SELECT count(*) FROM hours_entry) || '/' || (SELECT count(*) FROM hours_decision) || '/' || (SELECT count(*) FROM volunteer)
                   || '/' || (SELECT coalesce(sum(minutes), 0) FROM metrics_volunteer_year)
            """).single().decode(0, as: String.self)
        await admin.close()
        return text
    }

    /// One step of the attack: ask, then read. nil when refused.
    static func lookUp(_ id: String, on conn: Connection) async throws -> String? {
        let asked = try await conn.query("SELECT vl_id_lookup_request(ARRAY[\(id)])").single().decode(0, as: Int64.self)
        do {
            return try await conn.query("SELECT outcome FROM vl_id_lookup_result(\(asked))").single().decode(0, as: String.self)
        } catch let error as PostgresError where error.constraint == "id_lookup_limited" {
            #expect(error.message.hasPrefix("vledger: lookups by ID number refused for"))
            #expect(!error.message.contains("\n"))
            return nil
        }
    }

    @Test func aGuessingLoopIsCutOffAfterTheLimitAndRollingBackDoesNotHelp() async throws {
        try await TestDatabase.with { database in
            _ = try await SecurityRolesTests.seed(database)
            let before = try await Self.figures(database)
            try await TestLogins.with(database) { logins in
                let organiser = try await logins.login("organiser")
                let conn = try await logins.connect(as: organiser)
                let truth = TestIDNumber.make(sequence: 2)

                // The one-step lookup refuses ID numbers for an organiser (hit or not).
                for key in [truth, Self.candidates(1, truth: 1)[0]] {
                    let refused = await #expect(throws: PostgresError.self) { try await conn.query("SELECT * FROM vl_volunteer_lookup(\(key))") }
                    #expect(refused?.constraint == "id_lookup_two_steps")
                    let many = await #expect(throws: PostgresError.self) { try await conn.query("SELECT * FROM vl_volunteer_lookup_many(ARRAY[\(key)])") }
                    #expect(many?.constraint == "id_lookup_two_steps")
                }

                // BEGIN; lookup; ROLLBACK: the answer is never readable inside the asking
                // transaction, and nothing of the outcome shows in what the login may read there.
                for key in Self.candidates(20, truth: 5) {
                    try await conn.execute("BEGIN")
                    let asked = try await conn.query("SELECT vl_id_lookup_request(ARRAY[\(key)])").single().decode(0, as: Int64.self)
                    try await conn.execute("SAVEPOINT s")
                    let early = await #expect(throws: PostgresError.self) { try await conn.query("SELECT * FROM vl_id_lookup_result(\(asked))") }
                    #expect(early?.constraint == "id_lookup_committed")
                    try await conn.execute("ROLLBACK TO SAVEPOINT s")
                    let own = try await conn.query("SELECT count(*) FROM id_lookup_outcome").single().decode(0, as: Int64.self)
                    #expect(own == 0, "no outcome is readable before the lookup has committed")
                    try await conn.execute("ROLLBACK")
                }
                // And after the rollback there is nothing to read.
                let gone = await #expect(throws: PostgresError.self) { try await conn.query("SELECT * FROM vl_id_lookup_result(1)") }
                #expect(gone?.message.contains("no such lookup") == true)

                // The loop, committed: ten misses, then refusals, the true number among them.
                var outcomes: [String?] = []
                for key in Self.candidates(40, truth: 25) {
                    outcomes.append(try await Self.lookUp(key, on: conn))
                }
                #expect(outcomes.prefix(10).allSatisfy { $0 == "not_found" })
                #expect(outcomes.dropFirst(10).allSatisfy { $0 == nil }, "refused for the hour, the true number too: \(outcomes)")
                await conn.close()

                // A second organiser, one bulk lookup of 10,000 candidates.
                let bulk = try await logins.login("organiser")
                let asBulk = try await logins.connect(as: bulk)
                let keys = Self.candidates(10_000, truth: 5_000)
                let asked = try await asBulk.query("SELECT vl_id_lookup_request(\(keys)::text[])").single().decode(0, as: Int64.self)
                let whole = await #expect(throws: PostgresError.self) { try await asBulk.query("SELECT * FROM vl_id_lookup_result(\(asked))") }
                #expect(whole?.constraint == "id_lookup_limited")
                let partial = try await asBulk.query("SELECT outcome, count(*) FROM vl_id_lookup_result(\(asked), true) GROUP BY 1 ORDER BY 1")
                    .map { "\(try $0.decode(0, as: String.self))=\(try $0.decode(1, as: Int64.self))" }
                #expect(partial == ["not_found=10", "refused=9990"])
                // Limited now, for single lookups too.
                #expect(try await Self.lookUp(TestIDNumber.make(sequence: 1), on: asBulk) == nil)
                await asBulk.close()

                // Parallel sessions of one login do not multiply the limit.
                let parallel = try await logins.login("organiser")
                let sessions = try await (0..<4).asyncMap { _ in try await logins.connect(as: parallel) }
                let misses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for (index, session) in sessions.enumerated() {
                        group.addTask {
                            var found = 0
                            for key in Self.candidates(8, truth: 7).map({ $0.replacingOccurrences(of: "210682", with: "21068\(index)") }) {
                                while true {
                                    do {
                                        if try await Self.lookUp(key, on: session) == "not_found" { found += 1 }
                                        break
                                    } catch let error as PostgresError where LedgerRetry.isRetryable(error) { continue }
                                }
                            }
                            return found
                        }
                    }
                    return try await group.reduce(0, +)
                }
                #expect(misses == 10, "answered misses across four sessions of one login")
                for session in sessions { await session.close() }

                // The office sees it in the anomalies; the audit trail holds the lookups and outcomes.
                let office = try await logins.login("office")
                let asOffice = try await logins.connect(as: office)
                let anomalies = try await asOffice.transaction { tx in try HoursAnomalies.lookups(year: nil, on: tx) }
                let mine = anomalies.filter { $0.login == organiser }
                #expect(mine.count >= 1)
                #expect(mine.contains { $0.kind == "id_lookup_limited" && $0.refused > 0 && $0.reason.contains("found nothing") })
                #expect(anomalies.contains { $0.login == bulk && $0.missed == 10 && $0.refused == 9991 }, "the bulk lookup and the single one after it")
                let audited = try await asOffice.query("""
                    SELECT count(*) FILTER (WHERE table_name = 'id_lookup'), count(*) FILTER (WHERE table_name = 'id_lookup_outcome')
                    FROM audit_chain WHERE session_login = \(organiser)
                    """).single()
                #expect(try audited.decode(0, as: Int64.self) == 40, "every committed lookup is in the trail")
                #expect(try audited.decode(1, as: Int64.self) > 0, "and its outcome, once committed")
                let trail = try await asOffice.query("SELECT count(*) FROM audit_log WHERE new_row::text LIKE '%' || \(truth) || '%'").single()
                #expect(try trail.decode(0, as: Int64.self) == 0, "no full ID number in the trail")
                await asOffice.close()
            }
            #expect(try await Self.figures(database) == before, "figures and ledger unchanged by the attack")
        }
    }

    /// What a transaction can see of its own work (pg_stat_xact_user_tables, readable by every
    /// login): the same after a lookup that found the volunteer and one that found nothing.
    static func ownStatistics(after sql: SQL, as login: String, _ logins: LoginMaker) async throws -> String {
        // A fresh session: the counts of a session's earlier transactions may not be flushed yet.
        let conn = try await logins.connect(as: login)
        try await conn.execute("BEGIN")
        try await conn.execute("SAVEPOINT probe")
        do { try await conn.query(sql) } catch is PostgresError { try await conn.execute("ROLLBACK TO SAVEPOINT probe") }
        let seen = try await conn.query("""
            SELECT coalesce(string_agg(format('%s:%s/%s/%s/%s/%s/%s/%s', relname, seq_scan, seq_tup_read, idx_scan, idx_tup_fetch,
                                              n_tup_ins, n_tup_upd, n_tup_hot_upd), ' ' ORDER BY relname), '')
            FROM pg_stat_xact_user_tables
            """).single().decode(0, as: String.self)
        try await conn.execute("ROLLBACK")
        await conn.close()
        return seen
    }

    @Test func aLookupLeavesTheSameTraceInItsOwnTransactionWhateverItFinds() async throws {
        try await TestDatabase.with { database in
            _ = try await SecurityRolesTests.seed(database)
            try await TestLogins.with(database) { logins in
                let truth = TestIDNumber.make(sequence: 2)  // district B's volunteer
                let miss = Self.candidates(1, truth: 1)[0]  // same masked form
                #expect(Masking.idNumber(miss) == Masking.idNumber(truth))
                for (role, district) in [("organiser", nil), ("staff", Self.districtA), ("office", nil)] as [(String, String?)] {
                    let login = try await logins.login(role, district: district)
                    for kind in ["request", "one", "many"] {
                        let hit = try await Self.ownStatistics(after: Self.probe(kind, key: truth), as: login, logins)
                        let missed = try await Self.ownStatistics(after: Self.probe(kind, key: miss), as: login, logins)
                        #expect(hit == missed, "\(role), \(kind): \(hit) after a hit, \(missed) after a miss")
                        #expect(hit.contains("volunteer:"), "not vacuous: the lookup read the volunteer table")
                    }
                }
            }
        }
    }

    static func probe(_ kind: String, key: String) -> SQL {
        switch kind {
        case "request": return "SELECT vl_id_lookup_request(ARRAY[\(key)])"
        case "many": return "SELECT * FROM vl_volunteer_lookup_many(ARRAY[\(key)])"
        default: return "SELECT * FROM vl_volunteer_lookup(\(key))"
        }
    }

    /// The HTTP service's contract (0070): a service login's lookups count against the person it
    /// acts for (SET LOCAL ROLE person in each transaction), never against nobody.
    @Test func theServiceLoginsLookupsCountAgainstThePersonItActsFor() async throws {
        try await TestDatabase.with { database in
            _ = try await SecurityRolesTests.seed(database)
            try await TestLogins.with(database) { logins in
                let alice = try await logins.login("organiser")
                let bob = try await logins.login("organiser")
                let service = "t_svc_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
                let superuser = try await database.connect()
                try await superuser.execute("CREATE ROLE \(unsafeRaw: service) LOGIN IN ROLE vledger_service")
                await logins.adopt(service)
                try await superuser.execute("GRANT \(unsafeRaw: alice), \(unsafeRaw: bob) TO \(unsafeRaw: service)")
                await superuser.close()
                let asService = try await logins.connect(as: service)

                // Not acting for anybody, or acting as a group role: refused before anything is looked up.
                let alone = await #expect(throws: PostgresError.self) { try await asService.query("SELECT vl_id_lookup_request(ARRAY['210682198001010028'])") }
                #expect(alone?.sqlState == .insufficientPrivilege)

                func lookUp(_ key: String, for person: String) async throws -> String? {
                    let asked = try await asService.transaction { db in
                        try db.execute("SET LOCAL ROLE \(unsafeRaw: person)")
                        return try db.query("SELECT vl_id_lookup_request(ARRAY[\(key)])").single().decode(0, as: Int64.self)
                    }
                    do {
                        return try await asService.transaction { db in
                            try db.execute("SET LOCAL ROLE \(unsafeRaw: person)")
                            return try db.query("SELECT outcome FROM vl_id_lookup_result(\(asked))").single().decode(0, as: String.self)
                        }
                    } catch let error as PostgresError where error.constraint == "id_lookup_limited" {
                        return nil
                    }
                }
                var forAlice: [String?] = []
                for key in Self.candidates(12, truth: 11) { forAlice.append(try await lookUp(key, for: alice)) }
                #expect(forAlice.prefix(10).allSatisfy { $0 == "not_found" } && forAlice.dropFirst(10).allSatisfy { $0 == nil }, "\(forAlice)")
                #expect(try await lookUp(TestIDNumber.make(sequence: 2), for: bob) == "found", "bob is not limited by alice's misses")
                // Alice's lookup cannot be read acting for bob.
                let asked = try await asService.transaction { db in
                    try db.execute("SET LOCAL ROLE \(unsafeRaw: alice)")
                    return try db.query("SELECT vl_id_lookup_request(ARRAY['210682198001010028'])").single().decode(0, as: Int64.self)
                }
                let other = await #expect(throws: PostgresError.self) {
                    try await asService.transaction { db in
                        try db.execute("SET LOCAL ROLE \(unsafeRaw: bob)")
                        return try db.query("SELECT * FROM vl_id_lookup_result(\(asked))").count
                    }
                }
                #expect(other?.message.contains("no such lookup by \(bob)") == true)
                await asService.close()
                let counted = try await database.connect()
                let who = try await counted.query("SELECT recorded_by, session_login, count(*) FROM id_lookup GROUP BY 1, 2 ORDER BY 1")
                    .map { "\(try $0.decode(0, as: String.self))/\(try $0.decode(1, as: String.self))/\(try $0.decode(2, as: Int64.self))" }
                await counted.close()
                #expect(Set(who) == ["\(alice)/\(service)/13", "\(bob)/\(service)/1"])
            }
        }
    }

    @Test func adminsAndOwnDistrictStaffAreNotLimited() async throws {
        try await TestDatabase.with { database in
            _ = try await SecurityRolesTests.seed(database)
            try await TestLogins.with(database) { logins in
                let admin = try await logins.login("admin")
                let asAdmin = try await logins.connect(as: admin)
                let outcomes = try await Self.candidates(30, truth: 20).asyncMap { try await Self.lookUp($0, on: asAdmin) }
                #expect(outcomes.filter { $0 == "found" }.count == 1 && !outcomes.contains(nil), "admins are never refused")
                await asAdmin.close()

                // Staff of district A: hits on their own volunteer never count, even past the limit;
                // their misses count like anyone's, and then another district's volunteer is refused.
                let staff = try await logins.login("staff", district: Self.districtA)
                let asStaff = try await logins.connect(as: staff)
                let own = TestIDNumber.make(sequence: 1)
                for _ in 0..<15 { #expect(try await Self.lookUp(own, on: asStaff) == "found") }
                for key in Self.candidates(12, truth: 11).dropLast() { _ = try await Self.lookUp(key, on: asStaff) }
                #expect(try await Self.lookUp(TestIDNumber.make(sequence: 2), on: asStaff) == nil, "limited after ten misses")
                #expect(try await Self.lookUp(own, on: asStaff) == "found", "own district still answered")
                #expect(try await asStaff.query("SELECT number FROM vl_volunteer_lookup(\(own))").count == 1)
                let counted = try await asStaff.query("""
                    SELECT coalesce(sum(missed), 0)::bigint FROM id_lookup_outcome WHERE recorded_by = current_user
                    """).single().decode(0, as: Int64.self)
                #expect(counted == 10)
                await asStaff.close()
            }
        }
    }

    @Test func theCLIIsLimitedAndTheSettingIsValidated() async throws {
        try await TestDatabase.with { database in
            _ = try await SecurityRolesTests.seed(database)
            try await TestLogins.with(database) { logins in
                let office = try await logins.login("office")
                let asOffice = try await logins.connect(as: office)
                for bad in ["-1", "ten", "1001", ""] {
                    let refused = await #expect(throws: PostgresError.self) {
                        try await asOffice.execute("UPDATE setting SET value = \(bad) WHERE name = 'id_lookup_misses_per_hour'")
                    }
                    #expect(refused?.constraint == "setting_id_lookup_misses_per_hour_valid")
                }
                try await asOffice.execute("UPDATE setting SET value = '3' WHERE name = 'id_lookup_misses_per_hour'")
                await asOffice.close()

                let organiser = try await logins.login("organiser")
                let url = try await logins.connectionString(as: organiser)
                let created = try await CLIRunner.run(["activity", "create", "--title", "探访", "--district", Self.districtA, "--organiser", "王",
                                                       "--starts", "2019-03-01 09:00", "--ends", "2019-03-01 12:00", "--database-url", url], database: nil)
                #expect(created.status == 0, "\(created.stderr)")
                let activity = created.output
                let before = try await Self.figures(database)
                var lines: [String] = []
                for key in Self.candidates(6, truth: 4) {
                    let run = try await CLIRunner.run(["hours", "record", "--activity", activity, "--volunteer", key, "--minutes", "30",
                                                       "--database-url", url], database: nil)
                    #expect(run.status != 0)
                    lines.append(run.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                #expect(lines.prefix(3).allSatisfy { $0.contains("no such volunteer") }, "\(lines)")
                #expect(lines.dropFirst(3).allSatisfy { $0.contains("refused") && !$0.contains("\n") }, "\(lines)")
                #expect(try await Self.figures(database) == before)

                // Through an import file too: the rows are reported, nothing is written.
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("lookup-\(UUID().uuidString).csv")
                try ("volunteer,activity,start,minutes\n" + Self.candidates(5, truth: 4).map { "\($0),\(activity),2019-03-01 09:00,30\n" }.joined())
                    .write(to: file, atomically: true, encoding: .utf8)
                let imported = try await CLIRunner.run(["hours", "import", file.path, "--database-url", url], database: nil)
                try? FileManager.default.removeItem(at: file)
                #expect(imported.status != 0)
                #expect(imported.stderr.contains("id_lookup") || imported.stderr.contains("refused"), "\(imported.stderr)")
                #expect(try await Self.figures(database) == before)

                let anomalies = try await CLIRunner.run(["hours", "anomalies", "--format", "json"], database: database)
                #expect(anomalies.status == 0, "\(anomalies.stderr)")
                #expect(anomalies.stdout.contains("\"id_lookup_limited\"") && anomalies.stdout.contains(organiser))
            }
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var values: [T] = []
        for element in self { values.append(try await transform(element)) }
        return values
    }
}
