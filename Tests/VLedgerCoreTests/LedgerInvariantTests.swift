import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// A model of one original entry and its corrections, in minutes from the entry's start: what
/// the ledger must accept and refuse (issue #10, part 1). A correction is accepted only if no
/// subset of later decisions could break the invariant; an approval only if the approved net
/// stays within the room the entry has (the activity's end, or the volunteer's next entry).
struct EntryModel {
    enum State { case pending, approved, rejected }

    let own: Int
    /// Minutes from the start to the activity's end, and to the next entry of the volunteer.
    let activityRoom: Int
    let neighbourRoom: Int
    var original = State.pending
    var corrections: [(delta: Int, state: State)] = []

    var approvedDelta: Int { corrections.filter { $0.state == .approved }.map(\.delta).reduce(0, +) }
    var approvedNet: Int { original == .approved ? own + approvedDelta : 0 }

    /// The rule a new correction of `delta` breaks, or nil when it is accepted.
    func refusal(recording delta: Int) -> String? {
        if original == .rejected { return "hours_correction_target" }
        let pending = corrections.filter { $0.state == .pending }.map(\.delta)
        let low = own + approvedDelta + pending.map { min($0, 0) }.reduce(0, +) + min(delta, 0)
        let high = own + approvedDelta + pending.map { max($0, 0) }.reduce(0, +) + max(delta, 0)
        if low < 0 { return "hours_net_range" }
        if delta > 0 && high > activityRoom { return "hours_inside_activity" }
        if delta > 0 && high > neighbourRoom { return "hours_no_overlap" }
        return nil
    }

    func refusal(approving index: Int) -> String? {
        guard original == .approved else { return "hours_decision_order" }
        let net = approvedNet + corrections[index].delta
        if net < 0 { return "hours_net_range" }
        if net > activityRoom { return "hours_inside_activity" }
        if net > neighbourRoom { return "hours_no_overlap" }
        return nil
    }

    mutating func reject(original _: Void) {
        original = .rejected
        for i in corrections.indices where corrections[i].state == .pending { corrections[i].state = .rejected }
    }
}

/// One step of a generated history.
enum LedgerStep: Sendable, CustomStringConvertible {
    case record(Int)            // record correction number i
    case decide(Int, approve: Bool)
    case decideOriginal(approve: Bool)

    var description: String {
        switch self {
        case .record(let i): return "record c\(i)"
        case .decide(let i, let approve): return "\(approve ? "approve" : "reject") c\(i)"
        case .decideOriginal(let approve): return "\(approve ? "approve" : "reject") original"
        }
    }
}

struct LedgerInvariantTests {
    /// The rule name a refused call carries (the constraint of the database's error).
    /// The refusal as a person reads it (code, field, value and the database's arguments), or nil.
    static func refusal(_ body: () async throws -> Void) async throws -> UserFacingError? {
        do {
            try await body()
            return nil
        } catch let error as PostgresError where error.sqlState == .checkViolation {
            return UserMessage.userFacing(for: error)
        }
    }

    static func refusedRule(_ body: () async throws -> Void) async throws -> String? {
        do {
            try await body()
            return nil
        } catch let error as PostgresError where error.sqlState == .checkViolation {
            return error.constraint
        }
    }

    /// Runs `steps` for one volunteer whose original of `model.own` minutes starts at 09:00 on
    /// activity `a` (08:30–11:30), with an approved entry from 11:00 on activity `b`; checks each
    /// step's acceptance against the model and the invariant after every commit.
    static func run(_ steps: [LedgerStep], deltas: [Int], originalApproved: Bool, volunteer v: LedgerFixtures.Volunteer,
                    a: Int64, b: Int64, on db: Connection) async throws {
        var model = EntryModel(own: 90, activityRoom: 150, neighbourRoom: 120)
        let original = try await record(db, activity: a, volunteer: v.number, minutes: model.own, start: "2019-03-01 09:00")
        let neighbour = try await record(db, activity: b, volunteer: v.number, minutes: 60, start: "2019-03-01 11:00")
        try await approve(db, neighbour)
        if originalApproved {
            try await approve(db, original)
            model.original = .approved
        }
        var entryOf: [Int: Int64] = [:]   // correction number -> entry id, for the accepted ones
        var modelIndex: [Int: Int] = [:]  // correction number -> index in model.corrections
        let history = steps.map(\.description).joined(separator: ", ")
        for step in steps {
            let expected: String?
            let refused: String?
            switch step {
            case .record(let i):
                expected = model.refusal(recording: deltas[i])
                var id: Int64?
                refused = try await refusedRule { id = try await correct(db, original, deltas[i], reason: "c\(i)") }
                if let id {
                    entryOf[i] = id
                    modelIndex[i] = model.corrections.count
                    model.corrections.append((deltas[i], .pending))
                }
            case .decide(let i, let approving):
                guard let id = entryOf[i], let index = modelIndex[i], model.corrections[index].state == .pending else { continue }
                if approving {
                    expected = model.refusal(approving: index)
                    refused = try await refusedRule { try await approve(db, id) }
                    if refused == nil { model.corrections[index].state = .approved }
                } else {
                    expected = nil
                    refused = try await refusedRule {
                        _ = try await db.transaction { tx in try HoursService.reject(id, reason: "not so", on: tx) }
                    }
                    if refused == nil { model.corrections[index].state = .rejected }
                }
            case .decideOriginal(let approving):
                guard model.original == .pending else { continue }
                expected = nil
                if approving {
                    refused = try await refusedRule { try await approve(db, original) }
                    if refused == nil { model.original = .approved }
                } else {
                    refused = try await refusedRule {
                        _ = try await db.transaction { tx in try HoursService.reject(original, reason: "absent", on: tx) }
                    }
                    if refused == nil { model.reject(original: ()) }
                }
            }
            #expect(refused == expected, "\(step) in [\(history)]: the ledger said \(refused ?? "yes"), the model \(expected ?? "yes")")
            let violations = try await LedgerInvariant.violations(db, volunteer: v.id)
            #expect(violations.isEmpty, "after \(step) in [\(history)]: \(violations)")
        }
        let net: Int = try await db.query("""
            SELECT coalesce(sum(minutes), 0)::int FROM hours_entry_status WHERE volunteer_id = \(v.id) AND activity_id = \(a) AND status = 'approved'
            """).single().decode(0)
        #expect(net == model.approvedNet, "[\(history)]")
    }

    /// Every order of recording and deciding three corrections, each decision either way.
    static func everyHistory(corrections: Int) -> [[LedgerStep]] {
        var histories: [[LedgerStep]] = []
        func extend(_ prefix: [LedgerStep], recorded: Set<Int>, decided: Set<Int>, outcomes: [Bool]) {
            if decided.count == corrections {
                histories.append(prefix)
                return
            }
            for i in 0..<corrections where !recorded.contains(i) {
                extend(prefix + [.record(i)], recorded: recorded.union([i]), decided: decided, outcomes: outcomes)
            }
            for i in recorded.subtracting(decided).sorted() {
                extend(prefix + [.decide(i, approve: outcomes[i])], recorded: recorded, decided: decided.union([i]), outcomes: outcomes)
            }
        }
        for mask in 0..<(1 << corrections) {
            extend([], recorded: [], decided: [], outcomes: (0..<corrections).map { mask & (1 << $0) != 0 })
        }
        return histories
    }

    /// 90 minutes from 09:00, room to 11:00 (the next entry) and 11:30 (the activity's end);
    /// corrections +30, +20 and −50: whether each is accepted depends on what was decided before.
    @Test func everyOrderOfRecordingAndDecidingKeepsTheInvariant() async throws {
        try await TestDatabase.with { database in
            let setup = try await database.connect()
            let a = try await LedgerFixtures.activity(setup, starts: "2019-03-01 08:30+08", ends: "2019-03-01 11:30+08")
            let b = try await LedgerFixtures.activity(setup, starts: "2019-03-01 11:00+08", ends: "2019-03-01 12:30+08")
            let deltas = [30, 20, -50]
            let histories = Self.everyHistory(corrections: deltas.count)
            #expect(histories.count == 720)  // 6! / 2³ orders × 2³ outcomes
            let people = try await LedgerFixtures.volunteers(setup, count: histories.count)
            // Four writers at once, each on its own volunteers: histories also run concurrently.
            let lanes = 4
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<lanes {
                    group.addTask {
                        let db = try await database.connect()
                        for index in stride(from: lane, to: histories.count, by: lanes) {
                            try await Self.run(histories[index], deltas: deltas, originalApproved: true,
                                               volunteer: people[index], a: a, b: b, on: db)
                        }
                        await db.close()
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await LedgerInvariant.violations(setup).isEmpty)
            await setup.close()
        }
    }

    /// Random histories over five corrections with the original decided anywhere (or never),
    /// including rejections of the original that reject its pending corrections with it.
    @Test func randomHistoriesWithTheOriginalDecidedAnywhere() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let a = try await LedgerFixtures.activity(db, starts: "2019-03-01 08:30+08", ends: "2019-03-01 11:30+08")
            let b = try await LedgerFixtures.activity(db, starts: "2019-03-01 11:00+08", ends: "2019-03-01 12:30+08")
            let deltas = [30, 20, -50, -40, 10]
            var random = SplitMix64(seed: 20_261_201)
            let count = 150
            let people = try await LedgerFixtures.volunteers(db, count: count)
            for person in people {
                var steps: [LedgerStep] = []
                var open = Array(deltas.indices)
                var recorded: [Int] = []
                while !open.isEmpty || !recorded.isEmpty {
                    let choice = Int(random.next() % 10)
                    if choice == 0 {
                        steps.append(.decideOriginal(approve: random.next() % 4 != 0))
                    } else if !open.isEmpty && (recorded.isEmpty || choice < 5) {
                        recorded.append(open.remove(at: random.below(open.count)))
                        steps.append(.record(recorded.last!))
                    } else {
                        let i = recorded.remove(at: random.below(recorded.count))
                        steps.append(.decide(i, approve: random.next() % 3 != 0))
                    }
                }
                try await Self.run(steps, deltas: deltas, originalApproved: random.next() % 2 == 0, volunteer: person, a: a, b: b, on: db)
            }
            await db.close()
        }
    }

    /// The first attack of issue #10: −30, −30, +60 on 150 minutes of a 180-minute activity, then
    /// one −30 rejected and the rest approved, would have counted 180 minutes ending at 12:00.
    @Test func pendingCorrectionsCannotBeDecidedPastTheActivity() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db, starts: "2019-03-01 08:30+08", ends: "2019-03-01 11:30+08")
            let first = try await record(db, activity: a, volunteer: v.number, minutes: 150, start: "2019-03-01 09:00")
            try await approve(db, first)
            let down1 = try await correct(db, first, -30)
            _ = try await correct(db, first, -30)
            let before = try await LedgerFixtures.count(db, "hours_entry")
            let rule = try await Self.refusedRule { _ = try await correct(db, first, 60) }
            #expect(rule == "hours_inside_activity")
            #expect(try await LedgerFixtures.count(db, "hours_entry") == before)
            // With one −30 approved first, +30 brings it back to 150 and is accepted.
            try await approve(db, down1)
            let up = try await correct(db, first, 30)
            try await approve(db, up)
            #expect(try await approvedNet(db, volunteer: v.id, activity: a) == 150)
            #expect(try await LedgerInvariant.violations(db).isEmpty)
        }
    }

    /// The second attack: +60 on 09:00–10:00 when 10:00–11:00 on another activity is approved
    /// would count 180 minutes for 120 of real time. Refused through the service and plain SQL.
    @Test func aCorrectionCannotReachIntoTheNextEntry() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db, starts: "2019-03-01 08:00+08", ends: "2019-03-01 12:00+08")
            let b = try await LedgerFixtures.activity(db, starts: "2019-03-01 10:00+08", ends: "2019-03-01 11:00+08")
            let first = try await record(db, activity: a, volunteer: v.number, minutes: 60, start: "2019-03-01 09:00")
            let second = try await record(db, activity: b, volunteer: v.number, minutes: 60, start: "2019-03-01 10:00")
            try await approve(db, first, second)
            let line = await failureLine { _ = try await correct(db, first, 60) }
            #expect(line.contains("into entry \(second)"))
            let plain = try await Self.refusedRule {
                try await db.execute("""
                    INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, corrects_id, reason, source)
                    SELECT volunteer_id, activity_id, service_start, 60, id, 'more', 'correction' FROM hours_entry WHERE id = \(first)
                    """)
            }
            #expect(plain == "hours_no_overlap")
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 2)
            // Once the second is corrected to zero, its interval is free.
            let zero = try await correct(db, second, -60)
            try await approve(db, zero)
            let more = try await correct(db, first, 60)
            try await approve(db, more)
            #expect(try await approvedNet(db, volunteer: v.id, activity: a) == 120)
            #expect(try await LedgerInvariant.violations(db).isEmpty)
        }
    }

    /// Rows written before these rules (here: with the rule trigger switched off by the owner)
    /// are checked again when decided: each correction alone fits, both together do not.
    /// Two approvers at once: the second waits for the first's lock and is refused.
    @Test func concurrentApprovalsOfTwoCorrectionsTakeTurnsAndTheSecondIsRefused() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)  // 09:00–12:00
            let first = try await record(db, activity: a, volunteer: v.number, minutes: 120)
            try await approve(db, first)
            try await db.execute("ALTER TABLE hours_entry DISABLE TRIGGER hours_entry_rules")
            let ids: [Int64] = try await db.query("""
                INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, corrects_id, reason, source)
                SELECT volunteer_id, activity_id, service_start, d, id, 'legacy', 'correction'
                FROM hours_entry, (VALUES (40), (50)) AS x(d) WHERE id = \(first)
                RETURNING id
                """).map { try $0.decode(0) }
            try await db.execute("ALTER TABLE hours_entry ENABLE TRIGGER hours_entry_rules")

            let one = try await database.connect()
            let two = try await database.connect()
            let twoPID = await two.backendPID
            try await one.execute("BEGIN")
            try await one.execute("INSERT INTO hours_decision (entry_id, decision) VALUES (\(ids[0]), 'approved')")
            let second = Task { try await Self.refusedRule { try await approve(two, ids[1]) } }
            // The second approver is waiting for the volunteer's lock.
            try await waitUntil("the second approver waits for the volunteer's lock") {
                try await db.query("SELECT 1 FROM pg_stat_activity WHERE pid = \(twoPID) AND wait_event_type = 'Lock'").count == 1
            }
            try await one.execute("COMMIT")
            #expect(try await second.value == "hours_inside_activity")
            #expect(try await approvedNet(db, volunteer: v.id, activity: a) == 160)
            #expect(try await LedgerInvariant.violations(db).isEmpty)
            for c in [one, two, db] { await c.close() }
        }
    }

    /// The same bad service gets the same rule name through `hours record`, `hours import` and
    /// check-in/check-out (issue #10, part 6).
    @Test func theSameBadRowGetsTheSameRuleOnEveryPath() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.currentActivity(db, startedMinutesAgo: 240, endsInMinutes: 60)
            let b = try await LedgerFixtures.currentActivity(db, startedMinutesAgo: 240, endsInMinutes: 60)
            let startText: String = try await db.query("""
                SELECT vl_local_text(starts_at + interval '30 minutes') FROM activity WHERE id = \(a)
                """).single().decode(0)
            let start = try TimeInput.parse(startText, field: "start")
            _ = try await db.transaction { tx in
                try HoursService.record(activity: a, volunteer: v.number, minutes: 120, start: start, on: tx)
            }
            // Overlap: the same 60 minutes on activity b.
            let byRecord = try await Self.refusal {
                _ = try await db.transaction { tx in
                    try HoursService.record(activity: b, volunteer: v.number, minutes: 60, start: start, on: tx)
                }
            }
            let path = try writeTemp("volunteer,activity,start,minutes\n\(v.number),\(b),\(startText),60\n")
            let byImport = await importProblems { _ = try await importHours(db, path) }.first?.userFacing
            _ = try await db.transaction { tx in try HoursAttendance.checkIn(activity: b, volunteer: v.number, at: start, on: tx) }
            let checkOutAt = try TimeInput.parse(try await db.query("""
                SELECT vl_local_text(starts_at + interval '90 minutes') FROM activity WHERE id = \(b)
                """).single().decode(0, as: String.self), field: "at")
            let byCheckOut = try await Self.refusal {
                _ = try await db.transaction { tx in try HoursAttendance.checkOut(activity: b, volunteer: v.number, at: checkOutAt, on: tx) }
            }
            #expect(byRecord?.code == "hours_no_overlap")
            #expect(byImport?.code == "hours_no_overlap")
            #expect(byCheckOut?.code == "hours_no_overlap")
            // The same arguments on every path, and both languages name the other entry and its times.
            let first: Int64 = try await db.query("SELECT min(id) FROM hours_entry").single().decode(0)
            let span = try await db.query("""
                SELECT vl_local_text(service_start), vl_local_text(service_start + minutes * interval '1 minute')
                FROM hours_entry WHERE id = \(first)
                """).single()
            let from: String = try span.decode(0)
            let until: String = try span.decode(1)
            #expect(byRecord?.args == ["number": v.number, "other_entry": "\(first)", "other_start": from, "other_end": until])
            #expect(byImport?.args == byRecord?.args)
            #expect(byCheckOut?.args == byRecord?.args)
            #expect(byRecord?.field == byImport?.field && byImport?.field == byCheckOut?.field)
            for refusal in [byRecord, byImport, byCheckOut].compactMap({ $0 }) {
                for language in Language.allCases {
                    let text = refusal.message(in: language)
                    #expect(text.contains("\(first)") && text.contains(from) && text.contains(until), "\(language): \(text)")
                }
                #expect(untranslatedEnglish(refusal.message(in: .zh)).isEmpty, "\(refusal.message(in: .zh))")
            }

            // Deregistered before the service: refused alike, check-in included.
            let w = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            let yesterday: String = try await db.query("SELECT (vl_local_date(now()) - 1)::text").single().decode(0)
            try await LedgerFixtures.deregister(db, w, on: yesterday)
            let goneRecord = try await Self.refusal {
                _ = try await db.transaction { tx in
                    try HoursService.record(activity: a, volunteer: w.number, minutes: 30, start: start, on: tx)
                }
            }
            let gonePath = try writeTemp("volunteer,activity,start,minutes\n\(w.number),\(a),\(startText),30\n")
            let goneImport = await importProblems { _ = try await importHours(db, gonePath) }.first?.userFacing
            let goneCheckIn = try await Self.refusal {
                _ = try await db.transaction { tx in try HoursAttendance.checkIn(activity: a, volunteer: w.number, at: start, on: tx) }
            }
            #expect(goneRecord?.code == "hours_volunteer_deregistered")
            #expect(goneImport?.code == "hours_volunteer_deregistered")
            #expect(goneCheckIn?.code == "hours_volunteer_deregistered")
            let serviceDay: String = try await db.query("""
                SELECT vl_local_date(starts_at + interval '30 minutes')::text FROM activity WHERE id = \(a)
                """).single().decode(0)
            #expect(goneRecord?.args == ["left": yesterday, "day": serviceDay])
            #expect(goneImport?.args == goneRecord?.args)
            #expect(goneCheckIn?.args == goneRecord?.args)
            for refusal in [goneRecord, goneImport, goneCheckIn].compactMap({ $0 }) {
                for language in Language.allCases {
                    let text = refusal.message(in: language)
                    #expect(text.contains(yesterday) && text.contains(serviceDay), "\(language): \(text)")
                }
            }
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 1)
        }
    }
}
