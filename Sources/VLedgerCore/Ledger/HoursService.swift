import Foundation
import PostgresLibPQ

/// Recording, deciding and correcting hours. The rules themselves live in the database
/// (db/migrations/0020_ledger_rules.sql); these functions resolve the user's arguments, keep
/// retries idempotent and say plainly what happened.
public enum HoursService {
    public struct Recorded: Sendable, Equatable {
        public let id: Int64
        /// True when a retried request found the entry it had already created.
        public let alreadyRecorded: Bool
    }

    /// An ENTRY argument.
    public static func parseEntryID(_ text: String, field: String = "entry") throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let id = Int64(trimmed), id > 0 else {
            throw RuleViolation(field: field, value: trimmed, code: "entry_id")
        }
        return id
    }

    struct ActivityTimes {
        let id: Int64
        let startsAt: Date
        let endsAt: Date
        let lengthMinutes: Int
    }

    static func activity(_ id: Int64, on db: isolated Connection) throws -> ActivityTimes {
        guard let row = try db.query("SELECT starts_at, ends_at, length_minutes FROM activity WHERE id = \(id)").first else {
            throw RuleViolation(field: "activity", value: String(id), code: "hours_activity_exists")
        }
        return ActivityTimes(id: id, startsAt: try row.decode(0), endsAt: try row.decode(1), lengthMinutes: try row.decode(2))
    }

    /// Records `minutes` of service by a volunteer on an activity (default start: the activity's
    /// start). The entry is pending until approved. With a request id, a retry of the same
    /// request returns the first entry; the same id with other content is refused.
    public static func record(
        activity activityID: Int64, volunteer: String, minutes: Int, start: TimeInput? = nil, requestID: String? = nil,
        source: String = "record", on db: isolated Connection
    ) throws -> Recorded {
        let volunteerRef = try VolunteerLookup.resolve(volunteer, on: db)
        let activity = try activity(activityID, on: db)
        guard minutes > 0 else {
            throw RuleViolation(field: "minutes", value: String(minutes), code: "hours_minutes_positive")
        }
        let key = requestID?.trimmingCharacters(in: .whitespaces)
        if let key, key.isEmpty { throw RuleViolation(field: "request_id", value: key, code: "not_empty") }
        let serviceStart = try start.map { try $0.resolve(timeZone: try Settings.load(db).timeZone, field: "start", on: db) } ?? activity.startsAt
        if let key, let existing = try existingRequest(key, volunteerID: volunteerRef.id, activityID: activityID,
                                                       serviceStart: serviceStart, minutes: minutes, on: db) {
            return Recorded(id: existing, alreadyRecorded: true)
        }
        let inserted = try db.query("""
            INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, request_id, source)
            VALUES (\(volunteerRef.id), \(activityID), \(serviceStart), \(minutes), \(key), \(source))
            ON CONFLICT (request_id) DO NOTHING
            RETURNING id
            """)
        if let row = inserted.first { return Recorded(id: try row.decode(0), alreadyRecorded: false) }
        // A concurrent retry of the same request committed first.
        guard let key, let existing = try existingRequest(key, volunteerID: volunteerRef.id, activityID: activityID,
                                                          serviceStart: serviceStart, minutes: minutes, on: db)
        else { throw UserFacingError(.conflict, code: "request_id_lost", field: "request_id") }
        return Recorded(id: existing, alreadyRecorded: true)
    }

    static func existingRequest(
        _ key: String, volunteerID: Int64, activityID: Int64, serviceStart: Date, minutes: Int, on db: isolated Connection
    ) throws -> Int64? {
        guard let row = try db.query("""
            SELECT id, volunteer_id = \(volunteerID) AND activity_id = \(activityID) AND service_start = \(serviceStart)
                   AND minutes = \(minutes) AND corrects_id IS NULL
            FROM hours_entry WHERE request_id = \(key)
            """).first else { return nil }
        let id: Int64 = try row.decode(0)
        guard try row.decode(1, as: Bool.self) else {
            throw RuleViolation(field: "request_id", value: key,
                                code: "request_id_other_content", args: ["entry": "\(id)"])
        }
        return id
    }

    public enum Decided: Sendable, Equatable {
        case approved(Int64)
        case alreadyApproved(Int64, by: String, at: String)
        case rejected(Int64)
        case alreadyRejected(Int64, by: String, at: String)

        public var message: String {
            switch self {
            case .approved(let id): return tr("ui.hours.approved", ["entry": String(id)])
            case .alreadyApproved(let id, let by, let at): return tr("ui.hours.already_approved", ["entry": String(id), "by": by, "at": at])
            case .rejected(let id): return tr("ui.hours.rejected", ["entry": String(id)])
            case .alreadyRejected(let id, let by, let at): return tr("ui.hours.already_rejected", ["entry": String(id), "by": by, "at": at])
            }
        }
    }

    struct Decision {
        let decision: String
        let by: String
        let at: String
    }

    static func decision(of id: Int64, on db: isolated Connection) throws -> Decision? {
        guard try db.query("SELECT 1 FROM hours_entry WHERE id = \(id)").count == 1 else {
            throw RuleViolation(field: "entry", value: String(id), code: "no_such_entry")
        }
        guard let row = try db.query("SELECT decision, decided_by, vl_local_text(decided_at) FROM hours_decision WHERE entry_id = \(id)").first
        else { return nil }
        return Decision(decision: try row.decode(0), by: try row.decode(1), at: try row.decode(2))
    }

    /// Approves each entry; one that cannot be approved stops them all (nothing is written).
    /// Approving an already approved entry changes nothing and says so.
    public static func approve(_ ids: [Int64], on db: isolated Connection) throws -> [Decided] {
        // Decided in the order of the volunteers they lock, so that two approvers of overlapping
        // lists take the locks in the same order and never deadlock; reported in the given order.
        let volunteerOf = Dictionary(uniqueKeysWithValues: try db.query("SELECT id, volunteer_id FROM hours_entry WHERE id = ANY(\(ids))").map {
            (try $0.decode(0, as: Int64.self), try $0.decode(1, as: Int64.self))
        })
        let ordered = ids.enumerated().sorted { (volunteerOf[$0.element] ?? 0, $0.offset) < (volunteerOf[$1.element] ?? 0, $1.offset) }
        var outcomes: [(Int, Decided)] = []
        for (position, id) in ordered {
            switch try decision(of: id, on: db) {
            case .some(let d) where d.decision == "approved":
                outcomes.append((position, .alreadyApproved(id, by: d.by, at: d.at)))
            case .some(let d):
                throw RuleViolation(field: "entry", value: String(id), code: "entry_rejected_already", args: ["by": "\(d.by)", "at": "\(d.at)"])
            case .none:
                try db.execute("INSERT INTO hours_decision (entry_id, decision) VALUES (\(id), 'approved')")
                outcomes.append((position, .approved(id)))
            }
        }
        return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Rejects a pending entry with a reason; its interval is free again and its pending
    /// corrections are rejected with it.
    public static func reject(_ id: Int64, reason: String, on db: isolated Connection) throws -> Decided {
        let trimmed = reason.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw RuleViolation(field: "reason", value: reason, code: "not_empty") }
        switch try decision(of: id, on: db) {
        case .some(let d) where d.decision == "rejected":
            return .alreadyRejected(id, by: d.by, at: d.at)
        case .some(let d):
            throw RuleViolation(field: "entry", value: String(id),
                                code: "entry_approved_already", args: ["by": "\(d.by)", "at": "\(d.at)"])
        case .none:
            try db.execute("INSERT INTO hours_decision (entry_id, decision, reason) VALUES (\(id), 'rejected', \(trimmed))")
            return .rejected(id)
        }
    }

    /// Records a correction of `delta` minutes (pending until approved). Correcting a correction
    /// corrects the entry it corrects: corrections always point at an original.
    public static func correct(_ id: Int64, deltaMinutes delta: Int, reason: String, requestID: String? = nil,
                               on db: isolated Connection) throws -> Recorded {
        let trimmed = reason.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw RuleViolation(field: "reason", value: reason, code: "reason_required") }
        guard delta != 0 else { throw RuleViolation(field: "delta_minutes", value: "0", code: "not_zero") }
        guard let row = try db.query("""
            SELECT coalesce(e.corrects_id, e.id) FROM hours_entry e WHERE e.id = \(id)
            """).first else {
            throw RuleViolation(field: "entry", value: String(id), code: "no_such_entry")
        }
        let original: Int64 = try row.decode(0)
        if let key = requestID, let existing = try db.query("""
            SELECT id, corrects_id = \(original) AND minutes = \(delta) AND reason = \(trimmed) FROM hours_entry WHERE request_id = \(key)
            """).first {
            guard try existing.decode(1, as: Bool.self) else {
                throw RuleViolation(field: "request_id", value: key, code: "request_id_used", args: ["entry": "\(try existing.decode(0, as: Int64.self))"])
            }
            return Recorded(id: try existing.decode(0), alreadyRecorded: true)
        }
        let newID: Int64 = try db.query("""
            INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, corrects_id, reason, request_id, source)
            SELECT volunteer_id, activity_id, service_start, \(delta), id, \(trimmed), \(requestID), 'correction'
            FROM hours_entry WHERE id = \(original)
            RETURNING id
            """).single().decode(0)
        return Recorded(id: newID, alreadyRecorded: false)
    }
}
