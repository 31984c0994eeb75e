import PostgresLibPQ

public struct PartyStatusRow: Sendable, Equatable {
    public let partyMember: Bool
    public let effectiveOn: CalendarDate
    public let recordedBy: String
}

/// A volunteer's 中共党员 status as staff recorded it (0152): append-only, dated, read by the
/// staff of the volunteer's district, the office and admins.
public enum PartyMembers {
    static let words = ["member": true, "党员": true, "中共党员": true, "是": true, "yes": true,
                        "not_member": false, "非党员": false, "否": false, "no": false]

    public static func status(_ text: String, field: String = "status") throws -> Bool {
        let key = text.trimmingCharacters(in: .whitespaces)
        guard let member = words[key.lowercased()] ?? words[key] else {
            throw RuleViolation(field: field, value: key, code: "party_status_known")
        }
        return member
    }

    public static func record(_ volunteer: String, status text: String, on dateText: String, on db: isolated Connection) throws {
        let member = try status(text)
        let ref = try VolunteerLookup.resolve(volunteer, on: db)
        let date = try DateInput.parse(dateText, field: "on")
        try Organisations.notFuture(date, on: db)
        try db.execute("INSERT INTO volunteer_party_status (volunteer_id, party_member, effective_on) VALUES (\(ref.id), \(member), \(date))")
    }

    public static func history(_ volunteer: String, on db: isolated Connection) throws -> (VolunteerRef, [PartyStatusRow]) {
        let ref = try VolunteerLookup.resolve(volunteer, on: db)
        let rows = try db.query("SELECT party_member, effective_on, recorded_by FROM volunteer_party_status WHERE volunteer_id = \(ref.id) ORDER BY effective_on, recorded_at")
            .map { PartyStatusRow(partyMember: try $0.decode(0), effectiveOn: try $0.decode(1), recordedBy: try $0.decode(2)) }
        return (ref, rows)
    }
}
