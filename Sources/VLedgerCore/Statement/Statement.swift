import Foundation
import PostgresLibPQ

/// A service-hours statement (志愿服务证明) as issued.
public struct Statement: Sendable, Equatable {
    public struct Activity: Sendable, Equatable {
        public var title: String
        public var category: String
        /// Local date of the first approved service on the activity in the period.
        public var date: CalendarDate
        public var minutes: Int64

        public init(title: String, category: String, date: CalendarDate, minutes: Int64) {
            self.title = title
            self.category = category
            self.date = date
            self.minutes = minutes
        }
    }

    public var number: String
    public var issuedOn: CalendarDate
    public var issuer: String
    public var volunteerNumber: String
    public var name: String
    public var idType: String
    /// Always masked.
    public var maskedIDNumber: String
    public var from: CalendarDate
    public var to: CalendarDate
    public var totalMinutes: Int64
    public var activities: [Activity]
    /// All approved minutes with service on or before `to`, for the star level.
    public var cumulativeMinutes: Int64
    public var starLevel: Int
    public var starThresholdsHours: [Int]
    /// The head of the audit chain when the database computed the statement (nil: an empty trail,
    /// or a statement issued before 0080).
    public var auditHead: AuditTrail.Head?
    /// Registration training of the period (issue 15), shown in its own section and never part of
    /// the service hours; nil or empty: the statement reads as before.
    public var training: [StatementTraining]? = nil
    /// Awards and evaluations of the period (issue 16 §3), in sections of their own.
    public var recognition: StatementRecognition? = nil
    /// The period's approved minutes by provenance (issue 16); nil for statements issued before 0162.
    public var provenance: ProvenanceMinutes? = nil

    /// Star level: how many thresholds the cumulative approved hours reach (minutes compared, exact).
    public static func starLevel(cumulativeMinutes: Int64, thresholdsHours: [Int]) -> Int {
        thresholdsHours.filter { cumulativeMinutes >= Int64($0) * 60 }.count
    }

    static let levelNames = ["", "一星级", "二星级", "三星级", "四星级", "五星级", "六星级", "七星级", "八星级", "九星级", "十星级"]

    public var starLabel: String {
        starLevel == 0 ? "未达星级" : String(repeating: "★", count: starLevel) + " " + Self.levelNames[min(starLevel, 10)] + "志愿者"
    }

    static func hours(_ minutes: Int64) -> String {
        ExactDecimal.quotient(Decimal(minutes), 60, places: 2)
    }

    var idTypeLabel: String { idType == "resident_id" ? "居民身份证" : idType }

    public var json: JSONValue {
        .object([
            ("statement_number", .string(number)),
            ("issued_on", .string(issuedOn.description)),
            ("issuer", .string(issuer)),
            ("volunteer", .object([
                ("number", .string(volunteerNumber)),
                ("name", .string(name)),
                ("id_type", .string(idType)),
                ("id_number", .string(maskedIDNumber)),
            ])),
            ("period", .object([("from", .string(from.description)), ("to", .string(to.description))])),
            ("approved_minutes", .int(totalMinutes)),
            ("approved_hours", .number(Self.hours(totalMinutes))),
            ("activities", .array(activities.map { activity in
                .object([
                    ("title", .string(activity.title)),
                    ("category", .string(activity.category)),
                    ("date", .string(activity.date.description)),
                    ("approved_minutes", .int(activity.minutes)),
                    ("approved_hours", .number(Self.hours(activity.minutes))),
                ])
            })),
            ("cumulative_approved_minutes", .int(cumulativeMinutes)),
            ("cumulative_approved_hours", .number(Self.hours(cumulativeMinutes))),
            ("star_level", .int(starLevel)),
            ("star_label", .string(starLabel)),
            ("star_thresholds_hours", .array(starThresholdsHours.map { .int($0) })),
            ("audit_head", auditHead?.json ?? .null),
        ] + StatementProvenance.jsonSection(provenance) + StatementTraining.jsonSection(training)
            + StatementRecognition.jsonSection(recognition))
    }

    public var text: String {
        var lines = [
            "志愿服务证明",
            "",
            "证明编号：\(number)",
            "",
            "兹证明 \(name)（\(idTypeLabel) \(maskedIDNumber)，志愿者编号 \(volunteerNumber)）"
                + "于 \(from) 至 \(to) 期间参加志愿服务，经审核确认的服务时长共计 \(Self.hours(totalMinutes)) 小时。",
            "",
        ]
        var table = TextTable(header: ["日期", "活动", "类别", "时长(小时)"], alignments: [.left, .left, .left, .right])
        for activity in activities {
            table.append([activity.date.description, activity.title, activity.category, Self.hours(activity.minutes)])
        }
        lines.append(activities.isEmpty ? "（期间内无经审核确认的服务记录）" : table.rendered().trimmingTrailingNewline())
        lines += StatementProvenance.textSection(provenance)
        lines += [
            "",
            "累计服务时长：\(Self.hours(cumulativeMinutes)) 小时（截至 \(to)）　星级：\(starLabel)",
            "星级标准（累计小时）：\(starThresholdsHours.map(String.init).joined(separator: " / "))",
            "",
            "出具人：\(issuer)　　出具日期：\(issuedOn)",
        ]
        lines += StatementTraining.textSection(training)
        lines += StatementRecognition.textSection(recognition)
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingNewline() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
