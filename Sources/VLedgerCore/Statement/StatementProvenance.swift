import Foundation

/// The statement's approved minutes of its period by provenance (issue 16 §1), as the database
/// stored them when it was issued (statement_issue.provenance, 0162): how much was checked in on
/// the clock, recorded within 10 working days, or recorded late (补录).
enum StatementProvenance {
    /// statement_issue.provenance as stored; nil for statements issued before 0162.
    static func decode(_ text: String?) throws -> ProvenanceMinutes? {
        guard let text, let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let clock = (object["clock"] as? NSNumber)?.int64Value, let entered = (object["entered"] as? NSNumber)?.int64Value,
              let late = (object["late"] as? NSNumber)?.int64Value else { return nil }
        return ProvenanceMinutes(clock: clock, entered: entered, late: late)
    }

    /// The `minutes_by_provenance` key, only when stored: earlier statements read byte for byte as before.
    static func jsonSection(_ split: ProvenanceMinutes?) -> [(String, JSONValue)] {
        split.map { [("minutes_by_provenance", $0.json)] } ?? []
    }

    static func textSection(_ split: ProvenanceMinutes?) -> [String] {
        guard let split, split.total != 0 else { return [] }
        return ["其中：签到 \(Statement.hours(split.clock)) 小时，按时录入 \(Statement.hours(split.entered)) 小时，"
                + "补录 \(Statement.hours(split.late)) 小时（活动结束 10 个工作日后录入，经文明办或管理员审核）。"]
    }
}
