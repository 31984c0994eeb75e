import Foundation
import PostgresLibPQ

/// A statement's awards (表彰奖励) and evaluations (评价) of its period (issue 16 §3, 0170), in
/// sections of their own; nil or empty: the statement reads byte for byte as before.
public struct StatementRecognition: Sendable, Equatable {
    public struct Award: Sendable, Equatable {
        public var name: String
        public var date: CalendarDate
        public var body: String
    }

    public struct Evaluation: Sendable, Equatable {
        public var date: CalendarDate
        public var score: Int?
        public var grade: String?
        public var evaluator: String
        public var note: String?
    }

    public var awards: [Award]
    public var evaluations: [Evaluation]

    static let gradeNames = ["excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"]

    /// statement_issue.awards and .evaluations as the database stored them.
    static func load(statementID id: Int64, on db: isolated Connection) throws -> StatementRecognition? {
        let row = try db.query("SELECT awards::text, evaluations::text FROM statement_issue WHERE id = \(id)").single()
        func items(_ text: String?) throws -> [[String: Any]] {
            guard let text else { return [] }
            return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
        }
        let awards = try items(try row.decode(0, as: String?.self)).compactMap { item -> Award? in
            guard let name = item["name"] as? String, let date = (item["date"] as? String).flatMap(CalendarDate.init(iso:)) else { return nil }
            return Award(name: name, date: date, body: item["body"] as? String ?? "")
        }
        let evaluations = try items(try row.decode(1, as: String?.self)).compactMap { item -> Evaluation? in
            guard let date = (item["date"] as? String).flatMap(CalendarDate.init(iso:)) else { return nil }
            return Evaluation(date: date, score: (item["score"] as? NSNumber)?.intValue, grade: item["grade"] as? String,
                              evaluator: item["evaluator"] as? String ?? "", note: item["note"] as? String)
        }
        return awards.isEmpty && evaluations.isEmpty ? nil : StatementRecognition(awards: awards, evaluations: evaluations)
    }

    /// The `awards` and `evaluations` keys, each only when it has rows.
    static func jsonSection(_ recognition: StatementRecognition?) -> [(String, JSONValue)] {
        guard let recognition else { return [] }
        var pairs: [(String, JSONValue)] = []
        if !recognition.awards.isEmpty {
            pairs.append(("awards", .array(recognition.awards.map {
                .object([("name", .string($0.name)), ("date", .string($0.date.description)), ("body", .string($0.body))])
            })))
        }
        if !recognition.evaluations.isEmpty {
            pairs.append(("evaluations", .array(recognition.evaluations.map {
                .object([("date", .string($0.date.description)), ("score", $0.score.map { .int(Int64($0)) } ?? .null),
                         ("grade", $0.grade.map { .string($0) } ?? .null), ("evaluator", .string($0.evaluator)),
                         ("note", $0.note.map { .string($0) } ?? .null)])
            })))
        }
        return pairs
    }

    static func textSection(_ recognition: StatementRecognition?) -> [String] {
        guard let recognition else { return [] }
        var lines: [String] = []
        if !recognition.awards.isEmpty {
            var table = TextTable(header: ["日期", "表彰奖励", "授予单位"])
            recognition.awards.forEach { table.append([$0.date.description, $0.name, $0.body]) }
            lines += ["", "表彰奖励：", table.rendered().trimmingTrailingNewline()]
        }
        if !recognition.evaluations.isEmpty {
            var table = TextTable(header: ["日期", "评价", "评价人", "说明"])
            recognition.evaluations.forEach {
                table.append([$0.date.description, $0.score.map { "\($0) 分" } ?? $0.grade.map { gradeNames[$0] ?? $0 } ?? "", $0.evaluator, $0.note ?? ""])
            }
            lines += ["", "服务评价：", table.rendered().trimmingTrailingNewline()]
        }
        return lines
    }
}
