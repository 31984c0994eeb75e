import Foundation

/// The workbooks `--format xlsx` writes: the same rows as `--format csv`, typed (numbers and
/// true/false as such), under Chinese sheet names.
extension MetricsReport {
    static let numericColumns: Set<String> = [
        "built_up", "population", "registered", "active", "approved_minutes", "registration_share", "participation_rate",
        "hours_per_volunteer", "meets_registration_share", "meets_participation_rate", "meets_hours_per_volunteer",
        "registrations_needed", "participants_needed", "hours_needed",
    ]

    public var workbook: Workbook {
        Workbook(sheets: [Sheet(name: "年度指标", header: Self.csvHeader, textRows: csvRows, numericColumns: Self.numericColumns)])
    }

    public static func workbook(months reports: [MetricsReport]) -> Workbook {
        Workbook(sheets: [Sheet(
            name: "月度指标", header: ["as_of"] + csvHeader,
            textRows: reports.flatMap { report in report.csvRows.map { [report.request.asOf.description] + $0 } },
            numericColumns: numericColumns)])
    }
}

extension VolunteerOutput {
    public func workbook(_ volunteers: [VolunteerListing], withStatus: Bool = false) -> Workbook {
        let (header, rows) = listRows(volunteers, withStatus: withStatus)
        return Workbook(sheets: [Sheet(name: "志愿者", header: header, textRows: rows, numericColumns: ["approved_minutes"])])
    }

    /// The export's columns, every one text (ID numbers and phones must not become numbers).
    public func exportWorkbook(_ volunteers: [VolunteerListing]) -> Workbook {
        Workbook(sheets: [Sheet(name: "志愿者", header: Self.exportHeader, textRows: exportRows(volunteers), numericColumns: [])])
    }
}

extension HoursListing {
    public func workbook() -> Workbook {
        Workbook(sheets: [
            Sheet(name: "服务时长", header: Self.columns, textRows: entries.map(fields),
                  numericColumns: ["entry", "corrects", "activity", "minutes"]),
            Sheet(name: "净时长", header: ["volunteer", "activity", "net_minutes", "net_hours", "pending_minutes"],
                  textRows: nets.map { [$0.volunteerNumber, String($0.activityID), String($0.approvedMinutes), Self.hours($0.approvedMinutes),
                                        String($0.pendingMinutes)] },
                  numericColumns: ["activity", "net_minutes", "net_hours", "pending_minutes"]),
        ])
    }
}

extension ImportReport {
    /// The report (`--format xlsx` of an import): a summary sheet and one row per problem.
    public func workbook(applied wasApplied: Bool, rejectsFile: String? = nil, approved: Int? = nil) -> Workbook {
        var header = ["file", "rows", "applied", "already_present"]
        var row = [file, String(totalRows), String(applied), String(skippedDuplicates)]
        if let approved { header.append("approved"); row.append(String(approved)) }
        header += ["bad_rows", "written", "rejects_file"]
        row += [String(Set(problems.compactMap(\.line)).count), wasApplied ? "true" : "false", rejectsFile ?? ""]
        return Workbook(sheets: [
            Sheet(name: "导入报告", header: header, textRows: [row],
                  numericColumns: ["rows", "applied", "already_present", "approved", "bad_rows", "written"]),
            Sheet(name: "问题", header: ["line", "field", "value", "rule"],
                  // The rule as people read it, in their language (the JSON report keeps the English).
                  textRows: problems.map { [$0.line.map(String.init) ?? "", $0.field, $0.value.map { RuleViolation.quoted($0) } ?? "",
                                            RuleViolation.escaped($0.userFacing.ruleText(), limit: RuleViolation.ruleLimit)] },
                  numericColumns: ["line"]),
        ])
    }
}

/// CSV for people who open it in Excel (`--excel`): a UTF-8 byte order mark, so a Chinese Excel
/// does not read it as GB18030, and CRLF between records (line breaks inside quoted fields stay).
public enum ExcelCSV {
    public static func bytes(_ csv: String) -> [UInt8] {
        var output: [UInt8] = [0xEF, 0xBB, 0xBF]
        output.reserveCapacity(csv.utf8.count + csv.utf8.count / 16 + 3)
        var quoted = false
        var previous: UInt8 = 0
        for byte in csv.utf8 {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if byte == UInt8(ascii: "\n"), !quoted, previous != UInt8(ascii: "\r") { output.append(UInt8(ascii: "\r")) }
            output.append(byte)
            previous = byte
        }
        return output
    }
}
