import Foundation

// `hours anomalies` for people (an aligned table, headers and reasons in their language) and
// machines (JSON and CSV with English keys; the keys of before first, in their order).
extension HoursAnomalies {
    public static func table(_ anomalies: [HoursAnomaly], in language: Language = LanguageChoice.current) -> String {
        var table = TextTable(header: ["entry", "volunteer", "activity", "service start", "minutes", "status", "recorded by", "code", "severity", "kind", "reason"],
                              alignments: [.right, .left, .right, .left, .right, .left, .left, .left, .left, .left, .left])
        table.context = "anomalies"
        for a in anomalies {
            table.append([String(a.entryID), a.volunteerNumber, String(a.activityID), a.serviceStart, String(a.minutes), a.status,
                          a.recordedBy, a.code, a.severity.text(in: language), a.kind, a.reason(in: language)])
        }
        return table.rendered(in: language)
    }

    public static func table(_ lookups: [IDLookupAnomaly], in language: Language = LanguageChoice.current) -> String {
        var table = TextTable(header: ["login", "hour", "lookups", "not found", "refused", "code", "severity", "kind", "reason"],
                              alignments: [.left, .left, .right, .right, .right, .left, .left, .left, .left])
        table.context = "anomalies"
        for a in lookups {
            table.append([a.login, a.hour, String(a.lookups), String(a.missed), String(a.refused), a.code, a.severity.text(in: language),
                          a.kind, a.reason(in: language)])
        }
        return table.rendered(in: language)
    }

    /// Both tables, the lookups under their heading when there are any.
    public static func tables(_ anomalies: [HoursAnomaly], lookups: [IDLookupAnomaly], in language: Language = LanguageChoice.current) -> String {
        var text = table(anomalies, in: language)
        if !lookups.isEmpty {
            text += "\n" + Catalog.text("ui.anomalies.lookups_heading", in: language) + "\n" + table(lookups, in: language)
        }
        return text
    }

    public static func json(_ anomalies: [HoursAnomaly]) -> JSONValue {
        .array(anomalies.map { a in
            .object([
                ("entry", .int(a.entryID)), ("kind", .string(a.kind)), ("reason", .string(a.reason)),
                ("volunteer", .string(a.volunteerNumber)), ("activity", .int(a.activityID)), ("service_start", .string(a.serviceStart)),
                ("minutes", .int(a.minutes)), ("status", .string(a.status)), ("recorded_by", .string(a.recordedBy)),
                ("recorded_at", .string(a.recordedAt)),
                ("code", .string(a.code)), ("severity", .string(a.severity.rawValue)), ("reason_zh", .string(a.reason(in: .zh))),
            ])
        })
    }

    /// The entries' anomalies, then the lookups' (no entry: `entry` is null).
    public static func json(_ anomalies: [HoursAnomaly], lookups: [IDLookupAnomaly]) -> JSONValue {
        guard case .array(let entries) = json(anomalies) else { return json(anomalies) }
        return .array(entries + lookups.map { a in
            .object([
                ("entry", .null), ("kind", .string(a.kind)), ("reason", .string(a.reason)), ("login", .string(a.login)),
                ("hour", .string(a.hour)), ("lookups", .int(Int64(a.lookups))), ("not_found", .int(Int64(a.missed))),
                ("refused", .int(Int64(a.refused))),
                ("code", .string(a.code)), ("severity", .string(a.severity.rawValue)), ("reason_zh", .string(a.reason(in: .zh))),
            ])
        })
    }

    public static let csvHeader = ["entry", "kind", "reason", "volunteer", "activity", "service_start", "minutes", "status", "recorded_by",
                                   "recorded_at", "code", "severity", "reason_zh"]

    /// One row an anomaly; a lookup's has no entry, its login under recorded_by and its hour under recorded_at.
    public static func csv(_ anomalies: [HoursAnomaly], lookups: [IDLookupAnomaly]) -> String {
        CSVWriter.document(
            header: csvHeader,
            rows: anomalies.map { [String($0.entryID), $0.kind, $0.reason, $0.volunteerNumber, String($0.activityID), $0.serviceStart,
                                   String($0.minutes), $0.status, $0.recordedBy, $0.recordedAt, $0.code, $0.severity.rawValue, $0.reason(in: .zh)] }
                + lookups.map { ["", $0.kind, $0.reason, "", "", "", "", "", $0.login, $0.hour, $0.code, $0.severity.rawValue, $0.reason(in: .zh)] })
    }
}
