import Foundation
import PostgresLibPQ

public struct HoursEntryRow: Sendable, Equatable {
    public let id: Int64
    public let correctsID: Int64?
    public let volunteerNumber: String
    public let volunteerName: String
    public let activityID: Int64
    public let activityTitle: String
    public let serviceStart: String
    public let minutes: Int
    public let source: String
    public let status: String
    public let reason: String?
    public let recordedBy: String
    public let recordedAt: String
    public let decidedBy: String?
    public let decidedAt: String?
    public let decisionReason: String?
    /// clock, entered or late (0161): a late entry (补录) is flagged wherever it shows.
    public let provenance: String

    public var isLate: Bool { provenance == "late" }
}

/// Net approved minutes of one volunteer on one activity, and what still waits for a decision.
public struct HoursNet: Sendable, Equatable {
    public let volunteerNumber: String
    public let activityID: Int64
    public let approvedMinutes: Int64
    public let pendingMinutes: Int64
}

public struct HoursListing: Sendable {
    public let entries: [HoursEntryRow]
    public let nets: [HoursNet]

    /// Minutes as hours with two decimals, by integer arithmetic (the sign kept).
    public static func hours(_ minutes: Int64) -> String {
        let hundredths = (abs(minutes) * 100 + 30) / 60
        return (minutes < 0 ? "-" : "") + "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
    }

    public static func load(volunteer: String?, activity: Int64?, on db: isolated Connection) throws -> HoursListing {
        let volunteerID = try volunteer.map { try VolunteerLookup.resolve($0, on: db).id }
        let filter: SQL = "(\(volunteerID)::bigint IS NULL OR e.volunteer_id = \(volunteerID)) AND (\(activity)::bigint IS NULL OR e.activity_id = \(activity))"
        let entries = try db.query("""
            SELECT e.id, e.corrects_id, v.number, v.name, e.activity_id, a.title, vl_local_text(e.service_start, z.tz), e.minutes, e.source,
                   e.status, e.reason, e.recorded_by, vl_local_text(e.recorded_at, z.tz), e.decided_by, vl_local_text(e.decided_at, z.tz), e.decision_reason,
                   p.provenance
            FROM hours_entry_status e
            JOIN hours_entry p ON p.id = e.id
            JOIN volunteer v ON v.id = e.volunteer_id
            JOIN activity a ON a.id = e.activity_id
            -- The zone read once for the inlined vl_local_text(ts, zone) of 0261 (see ActivityService.selectRows).
            CROSS JOIN (SELECT vl_time_zone() AS tz OFFSET 0) z
            WHERE \(filter)
            ORDER BY v.number, e.activity_id, coalesce(e.corrects_id, e.id), e.id
            """).map { row in
            HoursEntryRow(
                id: try row.decode(0), correctsID: try row.decode(1), volunteerNumber: try row.decode(2), volunteerName: try row.decode(3),
                activityID: try row.decode(4), activityTitle: try row.decode(5), serviceStart: try row.decode(6), minutes: try row.decode(7),
                source: try row.decode(8), status: try row.decode(9), reason: try row.decode(10), recordedBy: try row.decode(11),
                recordedAt: try row.decode(12), decidedBy: try row.decode(13), decidedAt: try row.decode(14), decisionReason: try row.decode(15),
                provenance: try row.decode(16))
        }
        let nets = try db.query("""
            SELECT v.number, e.activity_id,
                   coalesce(sum(e.minutes) FILTER (WHERE e.status = 'approved'), 0),
                   coalesce(sum(e.minutes) FILTER (WHERE e.status = 'pending'), 0)
            FROM hours_entry_status e JOIN volunteer v ON v.id = e.volunteer_id
            WHERE \(filter)
            GROUP BY v.number, e.activity_id
            ORDER BY v.number, e.activity_id
            """).map { row in
            HoursNet(volunteerNumber: try row.decode(0), activityID: try row.decode(1), approvedMinutes: try row.decode(2), pendingMinutes: try row.decode(3))
        }
        return HoursListing(entries: entries, nets: nets)
    }

    static let columns = ["entry", "corrects", "volunteer", "name", "activity", "title", "service_start", "minutes", "source", "status",
                          "reason", "recorded_by", "recorded_at", "decided_by", "decided_at", "decision_reason", "provenance"]

    func fields(_ e: HoursEntryRow) -> [String] {
        [String(e.id), e.correctsID.map(String.init) ?? "", e.volunteerNumber, e.volunteerName, String(e.activityID), e.activityTitle,
         e.serviceStart, String(e.minutes), e.source, e.status, e.reason ?? "", e.recordedBy, e.recordedAt, e.decidedBy ?? "",
         e.decidedAt ?? "", e.decisionReason ?? "", e.provenance]
    }

    public func table() -> String {
        var table = TextTable(
            header: ["entry", "volunteer", "activity", "service start", "minutes", "status", "recorded", "decided", "note"],
            alignments: [.right, .left, .right, .left, .right, .left, .left, .left, .left])
        for e in entries {
            let entry = e.correctsID == nil ? String(e.id) : "  ↳\(e.id)"
            let minutes = e.correctsID == nil ? String(e.minutes) : (e.minutes > 0 ? "+\(e.minutes)" : String(e.minutes))
            let plain = e.correctsID.map { tr("ui.hours.corrects", ["entry": String($0), "reason": e.reason ?? ""]) } ?? (e.source == "record" ? "" : e.source)
            let note = e.isLate ? [tr("ui.provenance.late_flag"), plain].filter { !$0.isEmpty }.joined(separator: " ") : plain
            let decided = e.decidedBy.map { "\($0) \(e.decidedAt ?? "")" } ?? ""
            let shownStatus = Catalog.has("ui.val.\(e.status)") ? tr("ui.val.\(e.status)") : e.status
            let status = shownStatus + (e.decisionReason.map { tr("ui.parenthesis", ["text": $0]) } ?? "")
            table.append([entry, "\(e.volunteerNumber) \(e.volunteerName)", String(e.activityID), e.serviceStart, minutes, status,
                          "\(e.recordedBy) \(e.recordedAt)", decided, note])
        }
        var text = table.rendered()
        var nets = TextTable(header: ["volunteer", "activity", "net approved minutes", "hours", "pending minutes"],
                             alignments: [.left, .right, .right, .right, .right])
        for n in self.nets {
            nets.append([n.volunteerNumber, String(n.activityID), String(n.approvedMinutes), Self.hours(n.approvedMinutes), String(n.pendingMinutes)])
        }
        text += "\n" + nets.rendered()
        return text
    }

    public func csv() -> String {
        CSVWriter.document(header: Self.columns, rows: entries.map(fields))
    }

    public func json() -> JSONValue {
        func text(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        let entryValues: [JSONValue] = entries.map { e in
            .object([
                ("entry", .int(e.id)), ("corrects", e.correctsID.map { .int($0) } ?? .null),
                ("volunteer", .string(e.volunteerNumber)), ("name", .string(e.volunteerName)),
                ("activity", .int(e.activityID)), ("title", .string(e.activityTitle)),
                ("service_start", .string(e.serviceStart)), ("minutes", .int(e.minutes)), ("source", .string(e.source)),
                ("status", .string(e.status)), ("reason", text(e.reason)),
                ("recorded_by", .string(e.recordedBy)), ("recorded_at", .string(e.recordedAt)),
                ("decided_by", text(e.decidedBy)), ("decided_at", text(e.decidedAt)), ("decision_reason", text(e.decisionReason)),
                ("provenance", .string(e.provenance)),
            ])
        }
        let netValues: [JSONValue] = nets.map { n in
            .object([
                ("volunteer", .string(n.volunteerNumber)), ("activity", .int(n.activityID)),
                ("net_minutes", .int(n.approvedMinutes)), ("net_hours", .number(Self.hours(n.approvedMinutes))),
                ("pending_minutes", .int(n.pendingMinutes)),
            ])
        }
        return .object([("entries", .array(entryValues)), ("net", .array(netValues))])
    }
}
