import Foundation
import PostgresLibPQ

/// One course of a statement's training section (issue 15): recorded apart from service time
/// (民政部《志愿服务记录与证明出具办法》第八条), so it never adds to the statement's hours.
public struct StatementTraining: Sendable, Equatable {
    public var course: String
    public var content: String
    public var organiser: String
    public var date: CalendarDate
    public var studyMinutes: Int64
    public var certificateNumber: String?
    public var certificateExpiresOn: CalendarDate?

    /// statement_issue.training as the database stored it (0153).
    static func decode(_ text: String?) throws -> [StatementTraining]? {
        guard let text, let items = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else { return nil }
        return items.compactMap { item in
            guard let course = item["course"] as? String, let date = (item["date"] as? String).flatMap(CalendarDate.init(iso:)),
                  let minutes = (item["study_minutes"] as? NSNumber)?.int64Value else { return nil }
            return StatementTraining(course: course, content: item["content"] as? String ?? "", organiser: item["organiser"] as? String ?? "",
                                     date: date, studyMinutes: minutes, certificateNumber: item["certificate_number"] as? String,
                                     certificateExpiresOn: (item["certificate_expires_on"] as? String).flatMap(CalendarDate.init(iso:)))
        }
    }

    /// The `training` key, only when there is training: every statement without it reads byte for byte as before.
    static func jsonSection(_ training: [StatementTraining]?) -> [(String, JSONValue)] {
        guard let training, !training.isEmpty else { return [] }
        return [("training", .array(training.map { item in
            .object([
                ("course", .string(item.course)),
                ("content", .string(item.content)),
                ("organiser", .string(item.organiser)),
                ("date", .string(item.date.description)),
                ("study_minutes", .int(item.studyMinutes)),
                ("study_hours", .number(Statement.hours(item.studyMinutes))),
                ("certificate_number", item.certificateNumber.map { .string($0) } ?? .null),
                ("certificate_expires_on", item.certificateExpiresOn.map { .string($0.description) } ?? .null),
            ])
        }))]
    }

    static func textSection(_ training: [StatementTraining]?) -> [String] {
        guard let training, !training.isEmpty else { return [] }
        var table = TextTable(header: ["日期", "培训", "内容", "组织者", "学时(小时)", "证书"], alignments: [.left, .left, .left, .left, .right, .left])
        for item in training {
            let certificate = item.certificateNumber.map { number in item.certificateExpiresOn.map { "\(number)（有效期至 \($0)）" } ?? number } ?? ""
            table.append([item.date.description, item.course, item.content, item.organiser, Statement.hours(item.studyMinutes), certificate])
        }
        return ["", "注册培训（另行记录，不计入志愿服务时长）：", table.rendered().trimmingTrailingNewline()]
    }
}
