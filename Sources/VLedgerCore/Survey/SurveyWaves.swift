import Foundation
import PostgresLibPQ

/// One recorded wave of the support-rate survey (0180).
public struct SurveyWave: Sendable, Equatable {
    public let id: Int64
    public let surveyedOn: CalendarDate
    public let method: SurveyMethod
    public let districtCode: String
    public let sample: Int64
    public let supportive: Int64
    public let surveyor: String?
    /// Individual answers recorded for it (0260); 0 for a wave recorded as totals.
    public let answers: Int64
    /// Set when it was withdrawn (0263): no longer in the support rate as recorded since.
    public let withdrawn: Withdrawal?
}

/// Survey waves: recorded by the office (or the admin), one at a time or from a CSV file.
public enum SurveyWaves {
    /// Column names of office sheets, by the column each means.
    public static let aliases: [String: [String]] = [
        "surveyed_on": ["调查日期", "日期"],
        "method": ["调查方式", "方式"],
        "district_code": ["区划代码", "所属区划", "所属区划代码"],
        "sample_size": ["样本量", "样本数", "有效样本"],
        "supportive": ["支持人数", "认同和支持人数", "支持数"],
        "surveyor": ["调查机构", "调查单位"],
    ]

    static func count(_ text: String, field: String) throws -> Int64 {
        let trimmed = SpreadsheetText.halfwidth(text).trimmingCharacters(in: .whitespaces)
        guard trimmed.first != "+", let value = Int64(trimmed.replacingOccurrences(of: ",", with: "")), value <= 1_000_000 else {
            throw RuleViolation(field: field, value: trimmed, code: "survey_count_whole")
        }
        return value
    }

    struct Checked {
        var on: CalendarDate
        var method: SurveyMethod
        var district: String
        var sample: Int64
        var supportive: Int64
        var surveyor: String?
    }

    /// The rules of 0180 in Swift too, so an import names every bad line (the database keeps them regardless).
    static func check(on dateText: String, method: String, district: String, sample: String, supportive: String, surveyor: String?,
                      districts: Set<String>, today: CalendarDate) throws -> Checked {
        let date = try DateInput.parse(dateText, field: "on")
        guard date >= CalendarDate(year: 2000, month: 1, day: 1)! else {
            throw RuleViolation(field: "on", value: date.description, code: "survey_wave_date_range")
        }
        guard date <= today else { throw RuleViolation(field: "on", value: date.description, code: "survey_wave_not_future") }
        let method = try SurveyMethod.parse(method)
        let code = SpreadsheetText.halfwidth(district).trimmingCharacters(in: .whitespaces)
        guard districts.contains(code) else {
            throw RuleViolation(field: "district", value: code, code: code.isEmpty ? "required" : "survey_wave_district_fkey")
        }
        let sample = try count(sample, field: "sample")
        guard sample > 0 else { throw RuleViolation(field: "sample", value: String(sample), code: "survey_wave_sample_positive") }
        let supportive = try count(supportive, field: "supportive")
        guard supportive >= 0, supportive <= sample else {
            throw RuleViolation(field: "supportive", value: String(supportive), code: "survey_wave_supportive_range", args: ["sample": String(sample)])
        }
        let surveyor = surveyor?.trimmingCharacters(in: .whitespaces)
        if let surveyor, surveyor.count > 100 { throw RuleViolation(field: "surveyor", value: nil, code: "survey_wave_surveyor_length") }
        return Checked(on: date, method: method, district: code, sample: sample, supportive: supportive,
                       surveyor: surveyor.flatMap { $0.isEmpty ? nil : $0 })
    }

    static func context(on db: isolated Connection) throws -> (districts: Set<String>, today: CalendarDate) {
        let districts = Set(try db.query("SELECT code FROM district").map { try $0.decode(0, as: String.self) })
        return (districts, try Settings.today(timeZone: try Settings.load(db).timeZone, on: db))
    }

    /// Records one wave; returns its id.
    public static func add(on dateText: String, method: String, district: String, sample: String, supportive: String, surveyor: String?,
                           on db: isolated Connection) throws -> Int64 {
        let (districts, today) = try context(on: db)
        let wave = try check(on: dateText, method: method, district: district, sample: sample, supportive: supportive, surveyor: surveyor,
                             districts: districts, today: today)
        return try db.query("""
            INSERT INTO survey_wave (surveyed_on, method, district_code, sample_size, supportive, surveyor)
            VALUES (\(wave.on), \(wave.method.rawValue), \(wave.district), \(wave.sample), \(wave.supportive), \(wave.surveyor)) RETURNING id
            """).single().decode(0)
    }

    public static func list(year: Int?, on db: isolated Connection) throws -> [SurveyWave] {
        try db.query("""
            SELECT w.id, w.surveyed_on, w.method, w.district_code, w.sample_size, w.supportive, w.surveyor,
                   (SELECT count(*) FROM survey_response r WHERE r.wave_id = w.id), \(Withdrawals.columns)
              FROM survey_wave w LEFT JOIN survey_wave_withdrawal x ON x.wave_id = w.id
             WHERE (\(year)::int IS NULL OR extract(year FROM w.surveyed_on) = \(year))
             ORDER BY w.surveyed_on, w.district_code, w.method, w.generation
            """).map { row in
            SurveyWave(id: try row.decode(0), surveyedOn: try row.decode(1), method: SurveyMethod(rawValue: try row.decode(2)) ?? .household,
                       districtCode: try row.decode(3), sample: try row.decode(4), supportive: try row.decode(5), surveyor: try row.decode(6),
                       answers: try row.decode(7), withdrawn: try Withdrawal.decode(row, from: 8))
        }
    }

    static let importColumns = ["surveyed_on", "method", "district_code", "sample_size", "supportive"]

    static func apply(_ document: CSVDocument, options: ImportOptions, on db: isolated Connection) throws -> ImportReport {
        let (districts, today) = try context(on: db)
        var recorded: [String: (Int64, Int64)] = [:]
        for wave in try list(year: nil, on: db) where wave.withdrawn == nil {
            recorded["\(wave.districtCode)/\(wave.surveyedOn)/\(wave.method.rawValue)"] = (wave.sample, wave.supportive)
        }
        var problems: [RuleViolation] = []
        var good: [Checked] = []
        var present = 0
        var seen: [String: Int] = [:]
        let hasSurveyor = document.column("surveyor") != nil
        for record in document.records {
            if let shape = document.shapeProblem(record) { problems.append(shape); continue }
            do {
                let wave = try check(
                    on: document.value(record, "surveyed_on"), method: document.value(record, "method"),
                    district: document.value(record, "district_code"), sample: document.value(record, "sample_size"),
                    supportive: document.value(record, "supportive"), surveyor: hasSurveyor ? document.value(record, "surveyor") : nil,
                    districts: districts, today: today)
                let key = "\(wave.district)/\(wave.on)/\(wave.method.rawValue)"
                if let first = seen[key] {
                    throw RuleViolation(field: "on", value: wave.on.description, code: "survey_wave_twice_in_file",
                                        args: ["first": String(first), "second": String(record.line)])
                }
                seen[key] = record.line
                if let existing = recorded[key] {
                    guard existing == (wave.sample, wave.supportive) else {
                        throw RuleViolation(field: "on", value: wave.on.description, code: "survey_wave_once",
                                            args: ["district": wave.district, "method": wave.method.rawValue])
                    }
                    present += 1
                    continue
                }
                good.append(wave)
            } catch var violation as RuleViolation {
                violation.line = record.line
                problems.append(violation)
            }
        }
        var report = ImportReport(file: document.source, totalRows: document.records.count, skippedDuplicates: present, problems: problems)
        report.sortProblems()
        if !problems.isEmpty && !options.skipBad { throw VLedgerError.importRejected(report) }
        if !good.isEmpty {
            report.applied = try db.execute("""
                INSERT INTO survey_wave (surveyed_on, method, district_code, sample_size, supportive, surveyor)
                SELECT surveyed_on, method, district_code, sample_size, supportive, nullif(surveyor, '')
                  FROM unnest(\(good.map(\.on))::date[], \(good.map(\.method.rawValue))::text[], \(good.map(\.district))::text[],
                              \(good.map(\.sample))::int[], \(good.map(\.supportive))::int[], \(good.map { $0.surveyor ?? "" })::text[])
                    AS w(surveyed_on, method, district_code, sample_size, supportive, surveyor)
                """)
        }
        return report
    }
}
