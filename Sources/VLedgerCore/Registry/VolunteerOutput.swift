import Foundation
import PostgresLibPQ

/// How volunteers are printed. ID numbers and phones are masked unless `reveal` is true; the
/// masking happens here, in the one place every listing, show and export goes through.
public struct VolunteerOutput: Sendable {
    public var reveal: Bool

    public init(reveal: Bool) {
        self.reveal = reveal
    }

    func id(_ value: String) -> String { reveal ? value : Masking.idNumber(value) }
    func phone(_ value: String) -> String { reveal ? value : Masking.phone(value) }
    func phone(_ value: String?) -> String? { value.map { phone($0) } }

    public static let exportHeader = ["name", "id_number", "phone", "district_code", "registered_on", "guardian_name", "guardian_phone", "guardian_consent"]

    /// The listing's columns and rows as `--format csv` (and xlsx) print them.
    func listRows(_ volunteers: [VolunteerListing], withStatus: Bool) -> (header: [String], rows: [[String]]) {
        let minutes = volunteers.contains { $0.approvedMinutes != nil }
        var header = ["number", "name", "id_number", "phone", "district_code", "district_name", "registered_on"]
        if withStatus { header.append("deregistered_on") }
        if minutes { header.append("approved_minutes") }
        func cells(_ v: VolunteerListing) -> [String] {
            var row = [v.number, v.name, id(v.idNumber), phone(v.phone), v.districtCode, v.districtName, v.registeredOn.description]
            if withStatus { row.append(v.deregisteredOn?.description ?? "") }
            if minutes { row.append(String(v.approvedMinutes ?? 0)) }
            return row
        }
        return (header, volunteers.map(cells))
    }

    public func list(_ volunteers: [VolunteerListing], format: OutputFormat, withStatus: Bool = false) -> String {
        let minutes = volunteers.contains { $0.approvedMinutes != nil }
        let (header, rows) = listRows(volunteers, withStatus: withStatus)
        switch format {
        case .csv:
            return CSVWriter.document(header: header, rows: rows)
        case .json:
            return listJSON(volunteers).rendered() + "\n"
        case .table:
            var table = TextTable(header: header)
            if minutes { table.alignments[header.count - 1] = .right }
            rows.forEach { table.append($0) }
            return table.rendered() + tr(volunteers.count == 1 ? "ui.volunteer.count_one" : "ui.volunteer.count", ["count": String(volunteers.count)]) + "\n"
        }
    }

    /// The listing as `--format json` prints it (and the HTTP service returns).
    public func listJSON(_ volunteers: [VolunteerListing]) -> JSONValue {
        JSONValue.array(volunteers.map { v in
            var members: [(String, JSONValue)] = [
                ("number", .string(v.number)), ("name", .string(v.name)), ("id_number", .string(id(v.idNumber))),
                ("phone", .string(phone(v.phone))), ("district_code", .string(v.districtCode)),
                ("district_name", .string(v.districtName)), ("registered_on", .string(v.registeredOn.description)),
                ("deregistered_on", v.deregisteredOn.map { .string($0.description) } ?? .null),
            ]
            if let minutes = v.approvedMinutes { members.append(("approved_minutes", .int(minutes))) }
            return .object(members)
        })
    }

    /// CSV that `vledger volunteer import` reads back (with `reveal`; masked values are refused there).
    public func export(_ volunteers: [VolunteerListing]) -> String {
        CSVWriter.document(header: Self.exportHeader, rows: exportRows(volunteers))
    }

    func exportRows(_ volunteers: [VolunteerListing]) -> [[String]] {
        volunteers.map { v in
            [v.name, id(v.idNumber), phone(v.phone), v.districtCode, v.registeredOn.description,
             v.guardianName ?? "", phone(v.guardianPhone) ?? "", v.guardianName == nil ? "" : "yes"]
        }
    }

    public func details(_ v: VolunteerDetails, format: OutputFormat) -> String {
        switch format {
        case .json: return detailsJSON(v).rendered() + "\n"
        case .table, .csv: return detailsText(v)
        }
    }

    public func detailsJSON(_ v: VolunteerDetails) -> JSONValue {
        .object([
            ("number", .string(v.number)),
            ("name", .string(v.name)),
            ("id_type", .string(v.idType)),
            ("id_number", .string(id(v.idNumber))),
            ("sex", .string(v.sex)),
            // The birth date is part of the ID number: shown only when the number is.
            ("birth_date", reveal ? v.birthDate.map { .string($0.description) } ?? .null : .null),
            ("phone", .string(phone(v.phone))),
            ("registered_on", .string(v.registeredOn.description)),
            ("consent_recorded_at", .string(Self.time(v.consentRecordedAt))),
            ("guardian", v.guardianName == nil ? .null : .object([
                ("name", .string(v.guardianName ?? "")),
                ("phone", .string(phone(v.guardianPhone) ?? "")),
                ("consent_at", v.guardianConsentAt.map { .string(Self.time($0)) } ?? .null),
            ])),
            ("recorded_by", .string(v.recordedBy)),
            ("recorded_at", .string(Self.time(v.recordedAt))),
            ("districts", .array(v.districts.map { d in
                .object([("effective_from", .string(d.effectiveFrom.description)), ("code", .string(d.code)), ("name", .string(d.name)),
                         ("recorded_by", .string(d.recordedBy)), ("recorded_at", .string(Self.time(d.recordedAt)))])
            })),
            ("deregistration", v.deregistration.map { d in
                .object([("effective_on", .string(d.effectiveOn.description)), ("reason", .string(d.reason)),
                         ("recorded_by", .string(d.recordedBy)), ("recorded_at", .string(Self.time(d.recordedAt)))])
            } ?? .null),
            ("corrections", .array(v.corrections.map { c in
                .object([("field", .string(c.field)), ("old_value", .string(correctionValue(c.field, c.oldValue))),
                         ("new_value", .string(correctionValue(c.field, c.newValue))),
                         ("recorded_by", .string(c.recordedBy)), ("recorded_at", .string(Self.time(c.recordedAt)))])
            })),
        ])
    }

    func correctionValue(_ field: String, _ value: String) -> String {
        field == "phone" ? phone(value) : value
    }

    func detailsText(_ v: VolunteerDetails) -> String {
        // Labels padded to one display width, Chinese characters counting two.
        func line(_ key: String, _ value: String) -> String {
            let label = tr("ui.show.\(key)")
            return label + String(repeating: " ", count: max(1, 15 - TextTable.displayWidth(label))) + value
        }
        let sex = tr("ui.show.sex.\(v.sex)")
        let idType = v.idType == "resident_id" ? tr("ui.show.resident_id") : v.idType
        var lines = [
            line("volunteer", v.number),
            line("name", v.name),
            line("id", "\(idType) \(id(v.idNumber))" + (reveal && v.birthDate != nil
                ? tr("ui.show.born", ["date": v.birthDate!.description, "sex": sex]) : tr("ui.show.sex_only", ["sex": sex]))),
            line("phone", phone(v.phone)),
            line("registered_on", "\(v.registeredOn)" + tr("ui.show.consent", ["at": Self.time(v.consentRecordedAt), "by": v.recordedBy])),
        ]
        if let name = v.guardianName {
            lines.append(line("guardian", "\(name) \(phone(v.guardianPhone) ?? "")"
                         + (v.guardianConsentAt.map { tr("ui.show.guardian_consent", ["at": Self.time($0)]) } ?? "")))
        }
        if let d = v.deregistration {
            lines.append(line("deregistered", "\(d.effectiveOn): \(d.reason)" + tr("ui.show.recorded", ["at": Self.time(d.recordedAt), "by": d.recordedBy])))
        } else {
            lines.append(line("status", tr("ui.show.registered")))
        }
        lines.append(tr("ui.show.districts"))
        var table = TextTable(header: ["from", "code", "name", "recorded_at", "recorded_by"])
        table.context = "district"
        for d in v.districts {
            table.append([d.effectiveFrom.description, d.code, d.name, Self.time(d.recordedAt), d.recordedBy])
        }
        lines.append(table.rendered().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        if !v.corrections.isEmpty {
            lines.append(tr("ui.show.corrections"))
            for c in v.corrections {
                lines.append("  \(Self.time(c.recordedAt)) \(Catalog.fieldLabel(c.field)): \(correctionValue(c.field, c.oldValue)) → \(correctionValue(c.field, c.newValue))"
                             + tr("ui.show.by", ["by": c.recordedBy]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func time(_ date: Date) -> String {
        RegistryTimestamp.iso(date)
    }
}

enum RegistryTimestamp {
    /// The city's time zone with its offset, second precision, ISO 8601: unambiguous whatever
    /// the reader's zone, and the city's clock time a person expects.
    static func iso(_ date: Date) -> String {
        CityTime.text(date)
    }
}
