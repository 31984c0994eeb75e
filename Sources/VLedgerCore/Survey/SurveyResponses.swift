import Foundation
import PostgresLibPQ

/// Individual answers of the support-rate survey (0260): one row per citizen asked, grouped into
/// waves by district, day and method. Each wave's sample and supportive count are its answers'
/// counts, and the database checks that they agree when the transaction commits.
public enum SurveyResponses {
    /// Column names of surveyors' sheets, by the column each means.
    public static let aliases: [String: [String]] = [
        "surveyed_on": ["调查日期", "日期"],
        "method": ["调查方式", "方式"],
        "district_code": ["区划代码", "所属区划", "所属区划代码"],
        "answer": ["回答", "是否支持", "态度", "认同和支持"],
        "respondent": ["问卷编号", "编号"],
        "surveyor": ["调查机构", "调查单位"],
    ]

    /// Answers read as supportive or not, after full-width letters and digits are made half-width
    /// and case is ignored; anything else is a bad row rather than a guess.
    static let supportive: Set<String> = ["支持", "认同", "认同和支持", "非常支持", "比较支持", "是", "1", "yes", "y", "true"]
    static let notSupportive: Set<String> = ["不支持", "不认同", "不太支持", "非常不支持", "一般", "不了解", "说不清", "否", "0", "no", "n", "false"]

    public static func answer(_ text: String) throws -> Bool {
        let value = SpreadsheetText.halfwidth(text).trimmingCharacters(in: .whitespaces).lowercased()
        if supportive.contains(value) { return true }
        if notSupportive.contains(value) { return false }
        throw RuleViolation(field: "answer", value: value, code: value.isEmpty ? "required" : "survey_response_answer")
    }

    /// A questionnaire number: at most 40 characters and nothing shaped like an ID number or a
    /// mobile phone (the value is never repeated in the error: it may be personal).
    static func respondent(_ text: String) throws -> String? {
        let value = SpreadsheetText.halfwidth(text).trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return nil }
        let looksPersonal = (try? IDNumber(value)) != nil
            || (value.count == 18 && value.prefix(17).allSatisfy(\.isASCIIDigit))
            || (value.count == 11 && value.first == "1" && value.allSatisfy(\.isASCIIDigit))
        guard value.count <= 40, !looksPersonal else {
            throw RuleViolation(field: "respondent", value: nil, code: "survey_response_respondent_anonymous")
        }
        return value
    }

    struct Answer {
        var line: Int
        var supportive: Bool
        var respondent: String?
    }

    struct Wave {
        var key: String
        var on: CalendarDate
        var method: SurveyMethod
        var district: String
        var surveyor: String?
        var answers: [Answer] = []
        var firstLine: Int
        var bad: RuleViolation?
        var supportiveCount: Int64 { Int64(answers.filter(\.supportive).count) }
        /// The answers in order, `1` supportive and `0` not, as `recordedWaves` reads them.
        var answerText: String { String(answers.map { $0.supportive ? "1" : "0" }) }
    }

    /// CSV or an xlsx workbook's first sheet (not `ImportSheet.read`, which reads CSV only).
    static func sheet(_ url: URL, options: ImportOptions) throws -> CSVDocument {
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: url)) } catch { throw VLedgerError.notFound(what: "file", key: url.path) }
        let document = try SpreadsheetUpload.document(bytes, source: url.path, encoding: options.encoding, aliases: aliases)
        try document.requireColumns(["surveyed_on", "method", "district_code", "answer"])
        return document
    }

    static func apply(_ document: CSVDocument, options: ImportOptions, on db: isolated Connection) throws -> ImportReport {
        let (districts, today) = try SurveyWaves.context(on: db)
        var waves: [Wave] = []
        var index: [String: Int] = [:]
        var problems: [RuleViolation] = []
        let hasRespondent = document.column("respondent") != nil
        let hasSurveyor = document.column("surveyor") != nil
        for record in document.records {
            if let shape = document.shapeProblem(record) { problems.append(shape); continue }
            do {
                // The wave's own rules, with a sample of one: what is left is the answer itself.
                let checked = try SurveyWaves.check(
                    on: document.value(record, "surveyed_on"), method: document.value(record, "method"),
                    district: document.value(record, "district_code"), sample: "1", supportive: "0",
                    surveyor: hasSurveyor ? document.value(record, "surveyor") : nil, districts: districts, today: today)
                let key = "\(checked.district)/\(checked.on)/\(checked.method.rawValue)"
                let position = index[key] ?? {
                    waves.append(Wave(key: key, on: checked.on, method: checked.method, district: checked.district,
                                      surveyor: checked.surveyor, firstLine: record.line))
                    index[key] = waves.count - 1
                    return waves.count - 1
                }()
                if waves[position].surveyor == nil { waves[position].surveyor = checked.surveyor }
                do {
                    let answer = Answer(line: record.line, supportive: try Self.answer(document.value(record, "answer")),
                                        respondent: hasRespondent ? try respondent(document.value(record, "respondent")) : nil)
                    waves[position].answers.append(answer)
                } catch var violation as RuleViolation {
                    violation.line = record.line
                    problems.append(violation)
                    if waves[position].bad == nil { waves[position].bad = violation }
                }
            } catch var violation as RuleViolation {
                violation.line = record.line
                problems.append(violation)
            }
        }
        let recorded = try recordedWaves(on: db)
        var present = 0
        var good: [Wave] = []
        for wave in waves {
            if let bad = wave.bad {
                problems += wave.answers.map {
                    RuleViolation(field: "answer", value: nil, code: "survey_response_wave_refused",
                                  args: ["line": String(bad.line ?? wave.firstLine)], line: $0.line)
                }
                continue
            }
            if let existing = recorded[wave.key] {
                guard existing.answers == wave.answerText, existing.sample == Int64(wave.answers.count) else {
                    problems += wave.answers.map {
                        RuleViolation(field: "on", value: wave.on.description, code: "survey_wave_once",
                                      args: ["district": wave.district, "method": wave.method.rawValue], line: $0.line)
                    }
                    continue
                }
                present += wave.answers.count
                continue
            }
            good.append(wave)
        }
        var report = ImportReport(file: document.source, totalRows: document.records.count, skippedDuplicates: present, problems: problems)
        report.sortProblems()
        if !problems.isEmpty && !options.skipBad { throw VLedgerError.importRejected(report) }
        report.applied = try write(good, on: db)
        return report
    }

    /// Recorded waves not withdrawn, by key, with their answers in order as `1`/`0` (empty for a wave recorded as totals).
    static func recordedWaves(on db: isolated Connection) throws -> [String: (sample: Int64, answers: String)] {
        var result: [String: (sample: Int64, answers: String)] = [:]
        for row in try db.query("""
            SELECT w.district_code || '/' || w.surveyed_on::text || '/' || w.method, w.sample_size,
                   coalesce(string_agg(CASE WHEN r.supportive THEN '1' ELSE '0' END, '' ORDER BY r.ordinal), '')
              FROM survey_wave w LEFT JOIN survey_response r ON r.wave_id = w.id
             WHERE NOT EXISTS (SELECT 1 FROM survey_wave_withdrawal x WHERE x.wave_id = w.id)
             GROUP BY w.id
            """) {
            result[try row.decode(0)] = (try row.decode(1), try row.decode(2))
        }
        return result
    }

    /// The waves, then their answers; the totals are checked by the database at commit. Returns
    /// the number of answers written.
    static func write(_ waves: [Wave], on db: isolated Connection) throws -> Int {
        guard !waves.isEmpty else { return 0 }
        var ids: [String: Int64] = [:]
        for row in try db.query("""
            INSERT INTO survey_wave (surveyed_on, method, district_code, sample_size, supportive, surveyor)
            SELECT surveyed_on, method, district_code, sample_size, supportive, nullif(surveyor, '')
              FROM unnest(\(waves.map(\.on))::date[], \(waves.map(\.method.rawValue))::text[], \(waves.map(\.district))::text[],
                          \(waves.map { Int64($0.answers.count) })::int[], \(waves.map(\.supportiveCount))::int[],
                          \(waves.map { $0.surveyor ?? "" })::text[])
                AS w(surveyed_on, method, district_code, sample_size, supportive, surveyor)
            RETURNING id, district_code || '/' || surveyed_on::text || '/' || method
            """) {
            ids[try row.decode(1)] = try row.decode(0)
        }
        var waveIDs: [Int64] = [], ordinals: [Int64] = [], answers: [Bool] = [], respondents: [String] = []
        for wave in waves {
            // Every wave's key came back (the keys are unique in the file and new to the table).
            let id = ids[wave.key]!
            for (number, answer) in wave.answers.enumerated() {
                waveIDs.append(id)
                ordinals.append(Int64(number + 1))
                answers.append(answer.supportive)
                respondents.append(answer.respondent ?? "")
            }
        }
        return try db.execute("""
            INSERT INTO survey_response (wave_id, ordinal, supportive, respondent)
            SELECT wave_id, ordinal, supportive, nullif(respondent, '')
              FROM unnest(\(waveIDs)::bigint[], \(ordinals)::int[], \(answers)::boolean[], \(respondents)::text[])
                AS r(wave_id, ordinal, supportive, respondent)
            """)
    }

    /// Answers per wave (0 for a wave recorded as totals), for `survey list`.
    public static func counts(on db: isolated Connection) throws -> [Int64: Int64] {
        var result: [Int64: Int64] = [:]
        for row in try db.query("SELECT wave_id, count(*) FROM survey_response GROUP BY wave_id") {
            result[try row.decode(0)] = try row.decode(1)
        }
        return result
    }
}
