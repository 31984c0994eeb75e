import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Check-in by code (0140, issue 13): the code's window and slots, replay, lock-out, identity,
/// who may see the code, what plain SQL cannot do, the approval setting, and the ledger after.
/// Times are injected as the owner (the functions take a time from the owner only), on an
/// activity that lies in the past, so nothing waits for the clock.
struct CheckinCodeTests {
    /// A past activity (4 h to 2 h ago, on whole minutes) and a volunteer whose phone ends 1234.
    struct Scene: Sendable {
        let activity: Int64
        let starts: Date
        let ends: Date
        let volunteer: LedgerFixtures.Volunteer
    }

    static func scene(_ db: Connection, hoursAgo: Int = 4, lengthHours: Int = 2) async throws -> Scene {
        let volunteer = try await LedgerFixtures.volunteer(db)
        try await db.execute("UPDATE volunteer SET phone = '13912341234' WHERE id = \(volunteer.id)")
        let row = try await db.query("""
            INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
            VALUES ('扫码签到', '210682001', '李组织', date_trunc('minute', now()) - \(hoursAgo) * interval '1 hour',
                    date_trunc('minute', now()) - \(hoursAgo - lengthHours) * interval '1 hour')
            RETURNING id, starts_at, ends_at
            """).single()
        return Scene(activity: try row.decode(0), starts: try row.decode(1), ends: try row.decode(2), volunteer: volunteer)
    }

    /// The code of the slot `at` lies in, computed from the secret as the owner.
    static func code(_ db: Connection, _ activity: Int64, _ action: CheckinAction, at: Date) async throws -> String {
        try await db.query("""
            SELECT vl_checkin_code_of(vl_checkin_secret(\(activity)), \(activity), \(action.rawValue), vl_checkin_slot(\(at)::timestamptz))
            """).single().decode(0)
    }

    /// The first second of a 30-second slot, `minutes` after the start.
    static func slotStart(_ scene: Scene, minutes: Double) -> Date {
        let t = scene.starts.addingTimeInterval(minutes * 60).timeIntervalSince1970
        return Date(timeIntervalSince1970: (t / 30).rounded(.down) * 30 + 1)
    }

    static func selfCheck(
        _ db: Connection, _ scene: Scene, _ action: CheckinAction, code: String, at: Date, phone: String = "1234", number: String? = nil
    ) async throws -> SelfCheckin.Recorded {
        try await SelfCheckin.record(activity: scene.activity, volunteer: number ?? scene.volunteer.number, phoneLast4: phone, code: code,
                                     action: action, clientAddress: "192.0.2.7", at: at, on: db)
    }

    static func refusal(_ body: () async throws -> some Any) async -> UserFacingError? {
        do {
            _ = try await body()
            return nil
        } catch let error as UserFacingError {
            return error
        } catch {
            Issue.record("not a UserFacingError: \(error)")
            return nil
        }
    }

    @Test func hmacIsRFC4231s() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let row = try await db.query("""
                SELECT encode(vl_hmac_sha256('Jefe', 'what do ya want for nothing?'), 'hex'),
                       encode(vl_hmac_sha256(decode(repeat('aa', 131), 'hex'), 'Test Using Larger Than Block-Size Key - Hash Key First'), 'hex')
                """).single()
            #expect(try row.decode(0, as: String.self) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
            #expect(try row.decode(1, as: String.self) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        }
    }

    @Test func theCodeIsGivenFrom30MinutesBeforeTheStartTo30MinutesAfterTheEnd() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let scene = try await Self.scene(db)
            let opens = scene.starts.addingTimeInterval(-30 * 60)
            let closes = scene.ends.addingTimeInterval(30 * 60)
            for (at, given) in [(opens.addingTimeInterval(-1), false), (opens, true), (closes, true), (closes.addingTimeInterval(1), false)] {
                let result = await Self.refusal {
                    try await db.transaction { tx in try CheckinCodes.current(activity: scene.activity, action: .checkIn, at: at, on: tx) }
                }
                #expect((result == nil) == given, "at \(at)")
                if let result {
                    #expect(result.code == "checkin_window" && result.field == "at" && result.category == .invalid)
                    #expect(result.message(in: .zh).contains("签到码只在活动开始前 30 分钟至结束后 30 分钟内有效"))
                }
            }
            let code = try await db.transaction { tx in try CheckinCodes.current(activity: scene.activity, action: .checkIn, at: closes, on: tx) }
            #expect(code.validUntil == closes, "capped at the end of the window")
            #expect(code.code == (try await Self.code(db, scene.activity, .checkIn, at: closes)))
            #expect(code.code != (try await Self.code(db, scene.activity, .checkOut, at: closes)), "in and out have their own codes")

            // A right code outside the window is refused; nothing is written but the try.
            let early = opens.addingTimeInterval(-1)
            let refused = await Self.refusal {
                try await Self.selfCheck(db, scene, .checkIn, code: try await Self.code(db, scene.activity, .checkIn, at: early), at: early)
            }
            #expect(refused?.code == "checkin_window")
            #expect(try await LedgerFixtures.count(db, "hours_checkin") == 0)

            // At the window's first moment: checked in from the start (the hours begin there).
            let inAtOpen = try await Self.selfCheck(db, scene, .checkIn, code: try await Self.code(db, scene.activity, .checkIn, at: opens), at: opens)
            #expect(inAtOpen.at == scene.starts)
            // At its last moment: checked out, capped at the end: the whole activity.
            let out = try await Self.selfCheck(db, scene, .checkOut, code: try await Self.code(db, scene.activity, .checkOut, at: closes), at: closes)
            #expect(out.minutes == 120 && out.approved == false)
            #expect(try await LedgerInvariant.violations(db).isEmpty)
        }
    }

    @Test func theCurrentAndThePreviousSlotAreAcceptedNotOlderNorNewer() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let scene = try await Self.scene(db)
            let t = Self.slotStart(scene, minutes: 10)
            let cases: [(codeAt: Date, accepted: Bool)] = [
                (t.addingTimeInterval(-60), false),  // two slots back
                (t.addingTimeInterval(30), false),   // the next slot
                (t.addingTimeInterval(-30), true),   // the previous slot
            ]
            for (codeAt, accepted) in cases {
                let code = try await Self.code(db, scene.activity, .checkIn, at: codeAt)
                let result = await Self.refusal { try await Self.selfCheck(db, scene, .checkIn, code: code, at: t) }
                #expect((result == nil) == accepted, "code of \(codeAt) at \(t)")
                if !accepted { #expect(result?.code == "checkin_code_wrong" && result?.category == .invalid) }
            }
            let source: String = try await db.query("SELECT source FROM hours_checkin").single().decode(0)
            #expect(source == "code")
            let current = try await Self.code(db, scene.activity, .checkOut, at: t.addingTimeInterval(600))
            let out = try await Self.selfCheck(db, scene, .checkOut, code: current, at: t.addingTimeInterval(600))
            #expect(out.minutes == 10)
        }
    }

    @Test func aCodeWorksOncePerVolunteerAndAction() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let scene = try await Self.scene(db)
            let other = try await LedgerFixtures.volunteer(db, name: "李四")
            try await db.execute("UPDATE volunteer SET phone = '13955556666' WHERE id = \(other.id)")
            let t = Self.slotStart(scene, minutes: 20)
            let codeIn = try await Self.code(db, scene.activity, .checkIn, at: t)
            _ = try await Self.selfCheck(db, scene, .checkIn, code: codeIn, at: t)
            _ = try await Self.selfCheck(db, scene, .checkOut, code: try await Self.code(db, scene.activity, .checkOut, at: t), at: t.addingTimeInterval(5))
            let again = await Self.refusal { try await Self.selfCheck(db, scene, .checkIn, code: codeIn, at: t.addingTimeInterval(10)) }
            #expect(again?.code == "checkin_code_used" && again?.field == "checkin_code")
            // Another volunteer uses the same code.
            _ = try await Self.selfCheck(db, scene, .checkIn, code: codeIn, at: t.addingTimeInterval(12), phone: "6666", number: other.number)
            #expect(try await LedgerFixtures.count(db, "hours_checkin") == 2)
        }
    }

    @Test func fiveWrongTriesLockForTenMinutes() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let scene = try await Self.scene(db)
            let t = Self.slotStart(scene, minutes: 30)
            for i in 0..<5 {
                let wrong = await Self.refusal {
                    try await Self.selfCheck(db, scene, .checkIn, code: "000000", at: t.addingTimeInterval(Double(i)), phone: i < 3 ? "1234" : "9999")
                }
                #expect(wrong?.code == (i < 3 ? "checkin_code_wrong" : "checkin_identity"))
            }
            // The sixth, with the right code: locked (429), for either action, in any case of the number.
            let right = try await Self.code(db, scene.activity, .checkIn, at: t.addingTimeInterval(10))
            let locked = await Self.refusal {
                try await Self.selfCheck(db, scene, .checkIn, code: right, at: t.addingTimeInterval(10), number: scene.volunteer.number.lowercased())
            }
            #expect(locked?.code == "checkin_locked" && locked?.category == .rateLimited && locked?.category.httpStatus == 429)
            #expect(locked?.message(in: .zh).contains("锁定 10 分钟") == true)
            // Ten minutes after the fifth wrong try (at t+4 s), the lock is gone.
            let stillLocked = t.addingTimeInterval(4 + 600 - 1)
            #expect(await Self.refusal {
                try await Self.selfCheck(db, scene, .checkIn, code: try await Self.code(db, scene.activity, .checkIn, at: stillLocked), at: stillLocked)
            }?.code == "checkin_locked")
            let released = t.addingTimeInterval(4 + 600 + 1)
            let done = try await Self.selfCheck(db, scene, .checkIn, code: try await Self.code(db, scene.activity, .checkIn, at: released), at: released)
            #expect(done.action == .checkIn)
            let verdicts: [String] = try await db.query("SELECT verdict FROM checkin_attempt ORDER BY id").map { try $0.decode(0) }
            #expect(verdicts == ["checkin_code_wrong", "checkin_code_wrong", "checkin_code_wrong", "checkin_identity", "checkin_identity",
                                 "checkin_locked", "checkin_locked", "ok"])
            // No phone digits and no code are kept with the tries.
            let columns: [String] = try await db.query("""
                SELECT attname::text FROM pg_attribute WHERE attrelid = 'checkin_attempt'::regclass AND attnum > 0 ORDER BY attnum
                """).map { try $0.decode(0) }
            #expect(!columns.contains { $0.contains("phone") || $0 == "code" })
        }
    }

    /// A client that never asks for the answers (or rolls their transactions back) still gets
    /// locked: the tries were committed before anything was known about them.
    @Test func triesNeverAnsweredStillCountTowardsTheLock() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let scene = try await Self.scene(db)
            let t = Self.slotStart(scene, minutes: 50)
            for i in 0..<5 {
                try await db.execute("""
                    SELECT vl_self_checkin_attempt(\(scene.activity), \(scene.volunteer.number), '1234', 'wrong', 'out', NULL,
                                                   \(t.addingTimeInterval(Double(i)))::timestamptz)
                    """)
            }
            let right = try await Self.code(db, scene.activity, .checkIn, at: t.addingTimeInterval(9))
            let locked = await Self.refusal { try await Self.selfCheck(db, scene, .checkIn, code: right, at: t.addingTimeInterval(9)) }
            #expect(locked?.code == "checkin_locked")
            #expect(try await LedgerFixtures.count(db, "hours_checkin") == 0)
        }
    }

    @Test func wrongPhoneDigitsAndUnknownNumbersGetTheSameAnswer() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let scene = try await Self.scene(db)
            let t = Self.slotStart(scene, minutes: 40)
            let code = try await Self.code(db, scene.activity, .checkIn, at: t)
            let wrongPhone = await Self.refusal { try await Self.selfCheck(db, scene, .checkIn, code: code, at: t, phone: "4321") }
            let unknown = await Self.refusal { try await Self.selfCheck(db, scene, .checkIn, code: code, at: t, number: "VL99999999") }
            #expect(wrongPhone?.code == "checkin_identity" && unknown?.code == "checkin_identity")
            #expect(wrongPhone?.message(in: .en).replacingOccurrences(of: scene.volunteer.number, with: "N")
                    == unknown?.message(in: .en).replacingOccurrences(of: "VL99999999", with: "N"))
            #expect(wrongPhone?.message(in: .en).contains("1234") == false && wrongPhone?.message(in: .en).contains("4321") == false)
            let malformed = await Self.refusal { try await Self.selfCheck(db, scene, .checkIn, code: code, at: t, phone: "12a4") }
            #expect(malformed?.code == "checkin_phone_last4_format" && malformed?.value == nil)
            let shortCode = await Self.refusal { try await Self.selfCheck(db, scene, .checkIn, code: "12345", at: t) }
            #expect(shortCode?.code == "checkin_code_format")
            let noActivity = await Self.refusal {
                try await SelfCheckin.record(activity: 999_999, volunteer: scene.volunteer.number, phoneLast4: "1234", code: code,
                                             action: .checkIn, clientAddress: nil, at: t, on: db)
            }
            #expect(noActivity?.code == "checkin_activity_unknown" && noActivity?.category == .notFound)
            let badAddress = await Self.refusal {
                try await SelfCheckin.record(activity: scene.activity, volunteer: scene.volunteer.number, phoneLast4: "1234", code: code,
                                             action: .checkIn, clientAddress: "not an address", at: t, on: db)
            }
            #expect(badAddress?.code == "checkin_client_address")
            #expect(try await LedgerFixtures.count(db, "hours_checkin") == 0)
        }
    }

    @Test func aDeregisteredVolunteerIsRefused() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let scene = try await Self.scene(db)
            try await LedgerFixtures.deregister(db, scene.volunteer, on: "2020-01-01")
            let t = Self.slotStart(scene, minutes: 5)
            let refused = await Self.refusal {
                try await Self.selfCheck(db, scene, .checkIn, code: try await Self.code(db, scene.activity, .checkIn, at: t), at: t)
            }
            #expect(refused?.code == "hours_volunteer_deregistered" && refused?.field == "volunteer")
            #expect(try await LedgerFixtures.count(db, "hours_checkin") == 0)
        }
    }

    @Test func onlyTheActivitysOrganisersSeeItsCode() async throws {
        try await TestDatabase.with { database in
            let owner = try await database.connect()
            try await LedgerFixtures.district(owner)
            try await TestLogins.with(database) { logins in
                let mine = try await logins.login("organiser")
                let added = try await logins.login("organiser")
                let stranger = try await logins.login("organiser")
                let staff = try await logins.login("staff", district: "210682001")
                let asMine = try await logins.connect(as: mine)
                let activity = try await asMine.query("""
                    INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                    VALUES ('现在的活动', '210682001', '李组织', now() - interval '10 minutes', now() + interval '1 hour') RETURNING id
                    """).single().decode(0, as: Int64.self)
                try await asMine.execute("INSERT INTO activity_organiser (activity_id, login) VALUES (\(activity), \(added))")
                for login in [mine, added] {
                    let db = try await logins.connect(as: login)
                    let code = try await db.transaction { tx in try CheckinCodes.current(activity: activity, action: .checkOut, on: tx) }
                    #expect(code.code.count == 6 && code.action == .checkOut && code.validUntil > Date())
                    // Nobody but the owner names another time.
                    let timed = await Self.refusal {
                        try await db.transaction { tx in try CheckinCodes.current(activity: activity, action: .checkOut, at: Date(), on: tx) }
                    }
                    #expect(timed?.category == .forbidden)
                }
                let other = await Self.refusal {
                    try await (try await logins.connect(as: stranger)).transaction { tx in
                        try CheckinCodes.current(activity: activity, action: .checkIn, on: tx)
                    }
                }
                #expect(other?.code == "checkin_code_organiser" && other?.category == .forbidden && other?.category.httpStatus == 403)
                #expect(other?.message(in: .zh).contains("只有活动的组织者才能查看签到码") == true)
                let asStaff = await Self.refusal {
                    try await (try await logins.connect(as: staff)).transaction { tx in
                        try CheckinCodes.current(activity: activity, action: .checkIn, on: tx)
                    }
                }
                #expect(asStaff?.category == .forbidden)
                let unknown = await Self.refusal {
                    try await owner.transaction { tx in try CheckinCodes.current(activity: 999_999, action: .checkIn, on: tx) }
                }
                #expect(unknown?.code == "checkin_activity_unknown" && unknown?.category == .notFound)
            }
        }
    }

    /// Plain SQL as the day-to-day logins: the secret is unreadable, a `code` check-in cannot be
    /// written by hand nor through the self check-in functions, and a forged token does nothing.
    @Test func plainSQLCannotReadSecretsNorWriteCodeCheckIns() async throws {
        try await TestDatabase.with { database in
            let owner = try await database.connect()
            let scene = try await Self.scene(owner)
            // A try (attempt 1) and the secret it is checked with, for the forged token below.
            _ = await Self.refusal { try await Self.selfCheck(owner, scene, .checkIn, code: "000000", at: scene.starts) }
            try await TestLogins.with(database) { logins in
                let organiser = try await logins.login("organiser")
                try await owner.execute("UPDATE activity SET owner_login = \(organiser) WHERE id = \(scene.activity)")
                for role in ["staff", "organiser", "office", "admin"] {
                    let login = role == "organiser" ? organiser : try await logins.login(role, district: role == "staff" ? "210682001" : nil)
                    let db = try await logins.connect(as: login)
                    for statement in [
                        "SELECT secret FROM activity_checkin_secret",
                        "SELECT vl_checkin_secret(\(scene.activity))",
                        "SELECT vl_self_checkin_attempt(\(scene.activity), '\(scene.volunteer.number)', '1234', '000000', 'in', NULL)",
                        "SELECT * FROM vl_self_checkin_complete(1)",
                    ] {
                        let error = await #expect(throws: PostgresError.self, "\(role): \(statement)") { try await db.execute("\(unsafeRaw: statement)") }
                        #expect(error?.sqlState == .insufficientPrivilege, "\(role): \(statement)")
                    }
                }
                let db = try await logins.connect(as: organiser)
                let at = scene.starts.addingTimeInterval(60)
                let byHand = await #expect(throws: PostgresError.self) {
                    try await db.execute("""
                        INSERT INTO hours_checkin (volunteer_id, activity_id, checked_in_at, source) VALUES (\(scene.volunteer.id), \(scene.activity), \(at), 'code')
                        """)
                }
                #expect(byHand?.constraint == "checkin_source_code")
                let forged = try await db.transaction { tx in
                    try tx.execute("SELECT set_config('vledger.self_checkin', '1:' || repeat('ab', 32), true)")
                    return try tx.query("""
                        INSERT INTO hours_checkin (volunteer_id, activity_id, checked_in_at) VALUES (\(scene.volunteer.id), \(scene.activity), \(at))
                        RETURNING source, code_attempt_id
                        """).single()
                }
                #expect(try forged.decode(0, as: String.self) == "tap" && (try forged.decode(1, as: Int64?.self)) == nil)
            }
        }
    }

    /// The service's path, with the server's clock: the try is answered only once committed, the
    /// rows name the service login (never an organiser) and keep the client's address.
    @Test func theServiceLoginChecksInWithTheServersClock() async throws {
        try await TestDatabase.with { database in
            let owner = try await database.connect()
            let volunteer = try await LedgerFixtures.volunteer(owner)
            try await owner.execute("UPDATE volunteer SET phone = '13912341234' WHERE id = \(volunteer.id)")
            let activity = try await LedgerFixtures.currentActivity(owner, startedMinutesAgo: 30, endsInMinutes: 60)
            try await TestLogins.with(database) { logins in
                let service = "t_svc_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
                try await owner.execute("CREATE ROLE \(unsafeRaw: service) LOGIN IN ROLE vledger_service")
                await logins.adopt(service)
                let asService = try await logins.connect(as: service)
                let code = try await owner.transaction { tx in try CheckinCodes.current(activity: activity, action: .checkIn, on: tx) }

                // In one transaction, the try cannot be answered: a client that rolls back learns nothing.
                let inOne = await #expect(throws: PostgresError.self) {
                    try await asService.transaction { tx in
                        let id: Int64 = try tx.query("""
                            SELECT vl_self_checkin_attempt(\(activity), \(volunteer.number), '1234', \(code.code), 'in', '198.51.100.4')
                            """).single().decode(0)
                        _ = try tx.query("SELECT * FROM vl_self_checkin_complete(\(id))")
                    }
                }
                #expect(inOne?.constraint == "checkin_attempt_uncommitted")
                // Nor may the service name a time.
                let timed = await #expect(throws: PostgresError.self) {
                    try await asService.execute("""
                        SELECT vl_self_checkin_attempt(\(activity), \(volunteer.number), '1234', \(code.code), 'in', NULL, now())
                        """)
                }
                #expect(timed?.constraint == "checkin_time_owner")

                let done = try await SelfCheckin.record(activity: activity, volunteer: volunteer.number, phoneLast4: "1234", code: code.code,
                                                        action: .checkIn, clientAddress: "198.51.100.4", on: asService)
                #expect(abs(done.at.timeIntervalSinceNow) < 600)
                let row = try await owner.query("""
                    SELECT c.source, c.recorded_by, host(x.client_address), x.recorded_by, x.attempted_at = c.checked_in_at
                    FROM hours_checkin c JOIN checkin_attempt x ON x.id = c.code_attempt_id
                    """).single()
                #expect(try row.decode(0, as: String.self) == "code")
                #expect(try row.decode(1, as: String.self) == service)
                #expect(try row.decode(2, as: String.self) == "198.51.100.4")
                #expect(try row.decode(3, as: String.self) == service)
                #expect(try row.decode(4, as: Bool.self))
                // Without a person and outside the self check-in, the service still writes nothing.
                let direct = await #expect(throws: PostgresError.self) {
                    try await asService.execute("INSERT INTO district (code, name) VALUES ('210682999', 'x')")
                }
                #expect(direct?.sqlState == .insufficientPrivilege)
            }
        }
    }

    @Test func tapsAndForgottenCheckOutsKeepTheirSource() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let scene = try await Self.scene(db)
            let other = try await LedgerFixtures.volunteer(db, name: "李四")
            let at = scene.starts.addingTimeInterval(600)
            _ = try await db.transaction { tx in
                try HoursAttendance.checkIn(activity: scene.activity, volunteer: other.number, at: .instant(at), on: tx)
            }
            _ = try await Self.selfCheck(db, scene, .checkIn, code: try await Self.code(db, scene.activity, .checkIn, at: at), at: at)
            try await db.execute("UPDATE activity SET closed_at = now() WHERE id = \(scene.activity)")
            let rows: [String] = try await db.query("""
                SELECT c.source || '/' || o.source || '/' || o.automatic || '/' || coalesce(e.minutes, 0) || '/' || (o.note IS NOT NULL)
                FROM hours_checkin c JOIN hours_checkout o ON o.checkin_id = c.id LEFT JOIN hours_entry e ON e.id = o.entry_id
                ORDER BY c.id
                """).map { try $0.decode(0) }
            #expect(rows == ["tap/auto/true/110/true", "code/auto/true/110/true"])
            #expect(try await LedgerInvariant.violations(db).isEmpty)
            // After the close, no more codes.
            let closed = await Self.refusal {
                try await db.transaction { tx in try CheckinCodes.current(activity: scene.activity, action: .checkIn, at: at, on: tx) }
            }
            #expect(closed?.code == "hours_activity_open")
        }
    }

    @Test func theApprovalSettingTakesEffectUpToEightHoursADay() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let bad = await #expect(throws: PostgresError.self) {
                try await db.execute("INSERT INTO setting (name, value) VALUES ('code_checkin_approval', 'always')")
            }
            #expect(bad?.constraint == "setting_code_checkin_approval_valid")
            #expect(UserMessage.userFacing(for: bad!).message(in: .zh).contains("每天 8 小时以内直接生效"))

            // Waiting for an organiser by default (no setting).
            let short = try await Self.scene(db, hoursAgo: 12, lengthHours: 2)
            func visit(_ scene: Scene, minutes: Double) async throws -> SelfCheckin.Recorded {
                let start = Self.slotStart(scene, minutes: -1)  // before the start: counted from it
                _ = try await Self.selfCheck(db, scene, .checkIn, code: try await Self.code(db, scene.activity, .checkIn, at: start), at: start)
                let end = Self.slotStart(scene, minutes: minutes)
                return try await Self.selfCheck(db, scene, .checkOut, code: try await Self.code(db, scene.activity, .checkOut, at: end), at: end)
            }
            #expect(try await visit(short, minutes: 60).approved == false)

            try await db.execute("INSERT INTO setting (name, value) VALUES ('code_checkin_approval', 'automatic_up_to_8h')")
            let second = try await db.query("""
                INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                VALUES ('下午', '210682001', '李组织', \(short.ends)::timestamptz + interval '1 hour', \(short.ends)::timestamptz + interval '3 hours') RETURNING id, starts_at, ends_at
                """).single()
            let afternoon = Scene(activity: try second.decode(0), starts: try second.decode(1), ends: try second.decode(2), volunteer: short.volunteer)
            let approved = try await visit(afternoon, minutes: 90)
            #expect(approved.approved && approved.minutes == 90)
            let status: String = try await db.query("SELECT status FROM hours_entry_status WHERE id = \(approved.entryID!)").single().decode(0)
            #expect(status == "approved")

            // Over 8 hours a day: waits, even with the setting.
            let long = try await Self.scene(db, hoursAgo: 10, lengthHours: 9)
            let tooMuch = try await visit(long, minutes: 9 * 60)
            #expect(tooMuch.minutes == 540 && tooMuch.approved == false)
            #expect(try await LedgerInvariant.violations(db).isEmpty)
        }
    }
}
