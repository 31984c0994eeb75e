import Foundation

/// How an import treats bad rows. By default one bad row means nothing is written; with
/// `skipBad` the good rows are written and the bad ones saved, with their reasons, to a rejects
/// file the user can fix and import again.
public struct ImportOptions: Sendable {
    public var skipBad: Bool
    /// Where the rejects go; default FILE.rejects.csv next to the file.
    public var rejectsPath: String?
    public var showProgress: Bool
    /// The file's encoding as the user gave it (`--encoding`); nil to detect it.
    public var encoding: TextEncoding?

    public init(skipBad: Bool = false, rejectsPath: String? = nil, showProgress: Bool = true, encoding: TextEncoding? = nil) {
        self.skipBad = skipBad
        self.rejectsPath = rejectsPath
        self.showProgress = showProgress
        self.encoding = encoding
    }

    public func rejectsURL(for file: String) -> URL {
        if let rejectsPath { return URL(fileURLWithPath: rejectsPath) }
        let url = URL(fileURLWithPath: file)
        let base = url.pathExtension.lowercased() == "csv" ? url.deletingPathExtension() : url
        return URL(fileURLWithPath: base.path + ".rejects.csv")
    }
}

/// The Chinese column names Excel sheets made in Chinese offices use, by the column each means.
/// README lists them; `CSVDocument` finds a column under any of them.
public enum HeaderAliases {
    public static let volunteers: [String: [String]] = [
        "name": ["姓名"],
        "id_number": ["身份证号", "身份证号码", "公民身份号码", "证件号码"],
        "phone": ["手机号", "手机号码", "联系电话", "手机"],
        "district_code": ["所属区划", "区划代码", "所属区划代码", "行政区划代码"],
        "registered_on": ["注册日期", "注册时间"],
        "guardian_name": ["监护人姓名", "监护人"],
        "guardian_phone": ["监护人电话", "监护人手机号", "监护人手机号码"],
        "guardian_consent": ["监护人同意"],
    ]

    public static let activities: [String: [String]] = [
        "title": ["活动名称", "标题", "活动标题"],
        "district_code": ["区划代码", "所属区划", "所属区划代码"],
        "organiser": ["组织者", "组织单位", "组织方"],
        "starts": ["开始时间"],
        "ends": ["结束时间"],
        "category": ["类别", "活动类别"],
        "org": ["organisation", "志愿服务组织", "所属组织", "组织名称", "承办组织"],
        "project": ["项目", "项目名称", "社区志愿服务项目", "所属项目"],
    ]

    public static let hours: [String: [String]] = [
        "volunteer": ["志愿者", "志愿者编号", "身份证号", "身份证号码"],
        "activity": ["活动", "活动编号", "活动id"],
        "start": ["开始时间", "服务开始时间"],
        "minutes": ["服务时长(分钟)", "服务时长（分钟）", "分钟", "时长(分钟)", "服务分钟数"],
    ]

    public static let populations: [String: [String]] = [
        "district_code": ["区划代码", "所属区划", "所属区划代码"],
        "year": ["年份", "年度"],
        "residents": ["常住人口", "常住人口数"],
        "source": ["来源", "数据来源"],
    ]
}

/// The result of an import that was applied (possibly without its bad rows).
public struct ImportOutcome: Sendable {
    public var report: ImportReport
    public var encoding: TextEncoding
    /// Set when bad rows were skipped and saved.
    public var rejectsFile: String?
    /// Entries approved with the import (`hours import --approve`); nil when not asked for.
    public var approved: Int?

    /// In English (logs, tests); `summary(in:)` for people.
    public var summary: String { summary(in: .en) }

    public func summary(in language: Language = LanguageChoice.current) -> String {
        var text = Catalog.text("ui.import.summary", ["file": report.file, "rows": String(report.totalRows), "encoding": encoding.rawValue,
                                            "applied": String(report.applied), "present": String(report.skippedDuplicates)], in: language)
        if let approved { text += Catalog.text("ui.import.approved", ["count": String(approved)], in: language) }
        if !report.problems.isEmpty {
            let bad = Set(report.problems.compactMap(\.line)).count
            text += Catalog.text(bad == 1 ? "ui.import.skipped_one" : "ui.import.skipped", ["count": String(bad)], in: language)
                + (rejectsFile.map { Catalog.text("ui.import.saved_to", ["file": $0], in: language) } ?? "")
        }
        return text
    }
}

extension ImportReport {
    /// Machine-readable report (`--format json`); values in problems are already masked.
    /// `approved` only when the import approved what it wrote (`hours import --approve`).
    public func json(applied wasApplied: Bool, rejectsFile: String? = nil, approved: Int? = nil) -> JSONValue {
        .object([
            ("file", .string(file)),
            ("rows", .int(totalRows)),
            ("applied", .int(applied)),
            ("already_present", .int(skippedDuplicates)),
        ] + (approved.map { [("approved", JSONValue.int($0))] } ?? []) + [
            ("bad_rows", .int(Set(problems.compactMap(\.line)).count)),
            ("written", .bool(wasApplied)),
            ("rejects_file", rejectsFile.map { .string($0) } ?? .null),
            ("problems", .array(problems.map { problem in
                .object([
                    ("line", problem.line.map { .int($0) } ?? .null),
                    ("field", .string(problem.field)),
                    ("value", problem.value.map { .string(RuleViolation.quoted($0)) } ?? .null),
                    ("rule", .string(problem.rule)),
                ])
            })),
        ])
    }

    /// Problems in file order (a row's several problems keep the order they were found in).
    public mutating func sortProblems() {
        problems = problems.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
    }
}

/// The bad rows of a file, as they were, with a `reason` column: fix the rows and import the
/// rejects file itself. Written UTF-8 with a BOM so Excel on a Chinese Windows opens it right.
public enum RejectsFile {
    public static func write(_ document: CSVDocument, problems: [RuleViolation], to url: URL) throws {
        do {
            try Data(bytes(document, problems: problems)).write(to: url)
        } catch {
            throw UserFacingError.error(.configuration, "cannot_write_rejects", ["file": url.path, "detail": error.localizedDescription])
        }
    }

    /// The rejects file's bytes (the HTTP service hands them out instead of writing a file).
    public static func bytes(_ document: CSVDocument, problems: [RuleViolation]) -> [UInt8] {
        var reasons: [Int: [String]] = [:]
        for problem in problems {
            guard let line = problem.line else { continue }
            var copy = problem
            copy.line = nil
            reasons[line, default: []].append(copy.message())
        }
        // Importing a rejects file again keeps its one `reason` column.
        let reasonColumn = document.column("reason")
        var text = CSVWriter.line(reasonColumn == nil ? document.header + ["reason"] : document.header) + "\r\n"
        for record in document.records {
            guard let reason = reasons[record.line] else { continue }
            // A row with a stray extra field keeps the header's columns (the original file still has it all).
            var values = Array(record.values.prefix(document.header.count))
            values += Array(repeating: "", count: document.header.count - values.count)
            let why = "line \(record.line): " + reason.joined(separator: "; ")
            if let reasonColumn {
                values[reasonColumn] = why
            } else {
                values.append(why)
            }
            text += CSVWriter.line(values) + "\r\n"
        }
        return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
    }
}
