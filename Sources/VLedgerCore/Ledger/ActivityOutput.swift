import Foundation

/// Activities as the CLI and the HTTP service render them.
public enum ActivityOutput {
    public static let header = ["id", "title", "category", "district", "organiser", "starts", "ends", "length_minutes", "closed_at",
                         "entries", "approved_minutes", "open_checkins"]

    public static func fields(_ a: ActivityRow) -> [String] {
        [String(a.id), a.title, a.category, a.districtCode, a.organiser, a.startsAt, a.endsAt, String(a.lengthMinutes), a.closedAt ?? "",
         String(a.entries), String(a.approvedMinutes), String(a.openCheckIns)]
    }

    public static func json(_ a: ActivityRow) -> JSONValue {
        .object([
            ("id", .int(a.id)), ("title", .string(a.title)), ("category", .string(a.category)), ("district", .string(a.districtCode)),
            ("organiser", .string(a.organiser)), ("starts", .string(a.startsAt)), ("ends", .string(a.endsAt)),
            ("length_minutes", .int(a.lengthMinutes)), ("closed_at", a.closedAt.map { .string($0) } ?? .null),
            ("entries", .int(a.entries)), ("approved_minutes", .int(a.approvedMinutes)),
            ("approved_hours", .number(HoursListing.hours(a.approvedMinutes))), ("open_checkins", .int(a.openCheckIns)),
        ])
    }

    public static func render(_ rows: [ActivityRow], format: OutputFormat) -> String {
        switch format {
        case .json: return JSONValue.array(rows.map(json)).rendered() + "\n"
        case .csv: return CSVWriter.document(header: header, rows: rows.map(fields))
        case .table:
            var table = TextTable(header: header, alignments: header.indices.map { [0, 7, 9, 10, 11].contains($0) ? .right : .left })
            rows.forEach { table.append(fields($0)) }
            return table.rendered()
        }
    }
}
