import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Migration 0250: registration is no oracle for full ID numbers. A staff member of district A
/// who read district B's volunteer's masked number tries candidate birth dates by registering
/// them in a transaction they roll back; every attempt runs as a real login through plain SQL.
struct SecurityRegistrationProbeTests {
    static let districtA = SecurityRolesTests.districtA

    static func insert(_ id: String) -> SQL {
        "INSERT INTO volunteer (name, id_number, phone, registered_on) VALUES ('试探', \(id), '13800000000', '2020-01-01')"
    }

    /// Refused inside BEGIN … ROLLBACK: the error, or nil when the insert went through.
    static func probe(_ id: String, on conn: Connection) async throws -> PostgresError? {
        try await conn.execute("BEGIN")
        do {
            try await conn.execute(insert(id))
            try await conn.execute("ROLLBACK")
            return nil
        } catch let error as PostgresError {
            try await conn.execute("ROLLBACK")
            return error
        }
    }

    @Test func aRolledBackRegistrationSaysTheSameWhetherTheNumberIsRegisteredOrNot() async throws {
        try await TestDatabase.with { database in
            _ = try await SecurityRolesTests.seed(database)
            let before = try await SecurityLookupTests.figures(database)
            try await TestLogins.with(database) { logins in
                let staff = try await logins.login("staff", district: Self.districtA)
                let conn = try await logins.connect(as: staff)
                let candidates = SecurityLookupTests.candidates(30, truth: 17)
                var answers: Set<String> = []
                for id in candidates {
                    let refused = try await Self.probe(id, on: conn)
                    #expect(refused?.constraint == "registration_check_needed", "\(String(describing: refused))")
                    #expect(refused?.sqlState == .insufficientPrivilege)
                    #expect(refused?.column == "id_number")
                    #expect(refused?.message.contains(String(id.dropFirst(6).dropLast(4))) == false, "the error shows the masked number only")
                    answers.insert("\(refused?.constraint ?? "")|\(refused?.message ?? "")|\(refused?.detail ?? "")")
                }
                #expect(answers.count == 1, "the true number is answered exactly as the 29 wrong ones: \(answers)")

                // A check in the same transaction is not committed yet: still refused.
                try await conn.execute("BEGIN")
                _ = try await conn.query("SELECT vl_registration_check(ARRAY[\(candidates[17])])")
                let early = await #expect(throws: PostgresError.self) { try await conn.execute(Self.insert(candidates[17])) }
                #expect(early?.constraint == "registration_check_needed")
                try await conn.execute("ROLLBACK")
                await conn.close()
            }
            #expect(try await SecurityLookupTests.figures(database) == before, "nothing was written")
        }
    }

    @Test func checksAreLimitedPerMaskedFormAndADuplicateIsAnsweredOnlyAfterOne() async throws {
        try await TestDatabase.with { database in
            _ = try await SecurityRolesTests.seed(database)
            let before = try await SecurityLookupTests.figures(database)
            try await TestLogins.with(database) { logins in
                let staff = try await logins.login("staff", district: Self.districtA)
                let conn = try await logins.connect(as: staff)
                let candidates = SecurityLookupTests.candidates(12, truth: 3)

                // Checks rolled back leave nothing, and count nothing.
                for id in candidates {
                    try await conn.execute("BEGIN")
                    _ = try await conn.query("SELECT vl_registration_check(ARRAY[\(id)])")
                    try await conn.execute("ROLLBACK")
                }
                // Committed: five numbers of one masked form a day (the default), then refused.
                for id in candidates.prefix(5) {
                    #expect(try await conn.query("SELECT vl_registration_check(ARRAY[\(id)])").single().decode(0, as: Int.self) == 1)
                }
                #expect(try await conn.query("SELECT vl_registration_check(ARRAY[\(candidates[0])])").single().decode(0, as: Int.self) == 0,
                        "a number checked already is not counted again")
                let limited = await #expect(throws: PostgresError.self) {
                    try await conn.query("SELECT vl_registration_check(ARRAY[\(candidates[5])])")
                }
                #expect(limited?.constraint == "registration_check_limited")
                #expect(limited?.column == "id_number")
                #expect(limited?.message.contains(Masking.idNumber(candidates[5])) == true, "\(String(describing: limited))")
                #expect(limited?.message.contains(candidates[5]) == false)
                let bulk = await #expect(throws: PostgresError.self) {
                    try await conn.query("SELECT vl_registration_check(\(Array(candidates.dropFirst(5)))::text[])")
                }
                #expect(bulk?.constraint == "registration_check_limited", "asking many at once is counted the same")

                // The five checked ones may now be tried: the true one is refused as registered,
                // which is what a registration must say, at the rate the limit allows.
                let truth = try await Self.probe(candidates[3], on: conn)
                #expect(truth?.constraint == "volunteer_id_number_unique")
                let wrong = try await Self.probe(candidates[4], on: conn)
                #expect(wrong == nil, "a checked new number registers")
                let unchecked = try await Self.probe(candidates[6], on: conn)
                #expect(unchecked?.constraint == "registration_check_needed")

                // Another login's checks are its own.
                let other = try await logins.login("staff", district: Self.districtA)
                let asOther = try await logins.connect(as: other)
                #expect(try await Self.probe(candidates[4], on: asOther)?.constraint == "registration_check_needed")
                await asOther.close()
                // Nobody but the function writes the checks; only the admin reads them.
                let forged = await #expect(throws: PostgresError.self) {
                    try await conn.execute("""
                        INSERT INTO registration_check (recorded_by, session_login, id_hash, masked_key, transaction_id)
                        VALUES (\(staff), \(staff), vl_registration_key(\(candidates[7])), 'x', '1')
                        """)
                }
                #expect(forged?.sqlState == .insufficientPrivilege)
                let read = await #expect(throws: PostgresError.self) { try await conn.query("SELECT count(*) FROM registration_check") }
                #expect(read?.sqlState == .insufficientPrivilege)
                await conn.close()
            }
            #expect(try await SecurityLookupTests.figures(database) == before, "nothing was written")
        }
    }

    @Test func theSettingIsCheckedAndTheAdminIsNotLimited() async throws {
        try await TestDatabase.with { database in
            _ = try await SecurityRolesTests.seed(database)
            try await TestLogins.with(database) { logins in
                let office = try await logins.login("office")
                let asOffice = try await logins.connect(as: office)
                for bad in ["0", "1001", "five", "-1"] {
                    let refused = await #expect(throws: PostgresError.self) {
                        try await asOffice.execute("UPDATE setting SET value = \(bad) WHERE name = 'registration_checks_per_key_per_day'")
                    }
                    #expect(refused?.constraint == "setting_registration_checks_valid", "\(bad)")
                }
                #expect(try await SecurityRolesTests.count(database, "SELECT value::bigint FROM setting WHERE name = 'registration_checks_per_key_per_day'") == 5)
                await asOffice.close()

                let admin = try await logins.login("admin")
                let asAdmin = try await logins.connect(as: admin)
                try await asAdmin.execute(Self.insert(TestIDNumber.make(sequence: 40)))
                #expect(try await SecurityRolesTests.count(database, "SELECT count(*) FROM volunteer") == 3)
                #expect(try await SecurityRolesTests.count(database, "SELECT count(*) FROM registration_check") == 0)
                await asAdmin.close()
            }
        }
    }

    /// vledger's own paths take the check and commit it before they write: register and import,
    /// on a plain connection (the CLI) and through a session acting for the person (HTTP).
    @Test func registerAndImportCheckFirstForStaff() async throws {
        try await TestDatabase.with { database in
            _ = try await SecurityRolesTests.seed(database)
            try await TestLogins.with(database) { logins in
                let staff = try await logins.login("staff", district: Self.districtA)
                let conn = try await logins.connect(as: staff)
                let request = RegistrationRequest(name: "王芳", idNumber: TestIDNumber.make(sequence: 51), phone: "13812340051",
                                                  district: Self.districtA, registeredOn: "2020-05-01")
                let number = try await VolunteerRegistry.register(request, in: LedgerSession(conn))
                #expect(number.hasPrefix("VL"))
                let again = await #expect(throws: (any Error).self) {
                    try await conn.withIsolated { db in try VolunteerRegistry.register(request, on: db) }
                }
                #expect((again as? RuleViolation)?.code == "volunteer_id_number_unique_as", "\(String(describing: again))")

                let file = FileManager.default.temporaryDirectory.appendingPathComponent("reg-check-\(UUID().uuidString).csv")
                defer { try? FileManager.default.removeItem(at: file) }
                try """
                    name,id_number,phone,district_code,registered_on
                    李四,\(TestIDNumber.make(sequence: 52)),13812340052,\(Self.districtA),2020-05-02
                    赵六,\(TestIDNumber.make(sequence: 53)),13812340053,\(Self.districtA),2020-05-03

                    """.write(to: file, atomically: true, encoding: .utf8)
                let outcome = try await conn.withIsolated { db in try VolunteerImport.run(file, on: db) }
                #expect(outcome.report.applied == 2)
                let upload = try await VolunteerImport.upload(Array("""
                    name,id_number,phone,district_code,registered_on
                    钱七,\(TestIDNumber.make(sequence: 54)),13812340054,\(Self.districtA),2020-05-04

                    """.utf8), source: "upload.csv", skipBad: false, in: LedgerSession(conn))
                #expect(upload.outcome.report.applied == 1)
                await conn.close()
            }
            #expect(try await SecurityRolesTests.count(database, "SELECT count(*) FROM volunteer") == 6)
            #expect(try await SecurityRolesTests.count(database, "SELECT count(DISTINCT id_hash) FROM registration_check") == 4)
        }
    }
}
