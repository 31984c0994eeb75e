import Foundation
import PostgresLibPQ

/// `vledger volunteer import FILE`: a spreadsheet of registrations, validated whole before
/// anything is written, then loaded set-based (COPY into a temporary staging table and one
/// INSERT … SELECT), never a round trip per row.
public enum VolunteerImport {
    public static let requiredColumns = ["name", "id_number", "phone", "district_code", "registered_on"]
    public static let optionalColumns = ["guardian_name", "guardian_phone", "guardian_consent"]

    struct Candidate {
        let line: Int
        let registration: ValidRegistration
    }

    /// Imports `url`. Throws `VLedgerError.importRejected` (nothing written) when any row is bad and
    /// `options.skipBad` is false; otherwise writes the good rows and, if some were bad, the rejects file.
    public static func run(_ url: URL, options: ImportOptions = ImportOptions(), on db: isolated Connection) throws -> ImportOutcome {
        let document = try ImportSheet.read(url, options: options, aliases: HeaderAliases.volunteers, required: requiredColumns)
        let (report, rejects) = try db.transaction { tx in try apply(document, options: options, checks: .take, on: tx) }
        return try outcome(report, rejects: rejects, of: document, options: options)
    }

    /// The rejects file of the rows `apply` refused, and the report's problems in file order.
    static func outcome(_ report: ImportReport, rejects: [RuleViolation], of document: CSVDocument,
                        options: ImportOptions) throws -> ImportOutcome {
        var outcome = try ImportSheet.committed(report, of: document, options: options, rejects: rejects)
        outcome.report.sortProblems()
        return outcome
    }

    /// How the rows' ID numbers get their registration check (0250).
    enum Checks {
        /// Taken and committed here, on a session of its own.
        case take
        /// Recorded by the caller in a transaction that has committed (`checkValidRows`).
        case committed
    }

    static func apply(_ document: CSVDocument, options: ImportOptions, checks: Checks,
                      on db: isolated Connection) throws -> (ImportReport, [RuleViolation]) {
        let context = try RegistrationContext.load(on: db)
        let progress = ProgressReporter(label: "\(document.source)", total: document.records.count, quiet: !options.showProgress || document.records.count < 5000)
        var (candidates, problems) = validate(document, context: context, progress: progress)
        progress.finish(tr("ui.import.checked", ["rows": String(document.records.count), "bad": String(Set(problems.compactMap(\.line)).count)]))
        if checks == .take {
            try RegistrationCheck.take(candidates.map(\.registration.idNumber.value), on: db)
        }

        try stage(candidates, on: db)
        let (present, conflicts) = try compareWithRegister(on: db)
        problems += conflicts
        var report = ImportReport(file: document.source, totalRows: document.records.count, problems: problems)
        report.sortProblems()
        report.skippedDuplicates = present.count
        if !problems.isEmpty && !options.skipBad {
            throw VLedgerError.importRejected(report)
        }
        let dropped = Set(conflicts.compactMap(\.line)).union(present)
        if !dropped.isEmpty {
            try db.execute("DELETE FROM vl_import_volunteer WHERE line = ANY(\(Array(dropped)))")
            candidates.removeAll { dropped.contains($0.line) }
        }
        if options.showProgress && candidates.count >= 5000 {
            StandardError.write(tr("ui.import.writing_volunteers", ["file": document.source, "count": String(candidates.count)]))
        }
        do {
            report.applied = try insertStaged(on: db)
        } catch SQLState.uniqueViolation.on("volunteer_id_number_unique") {
            throw UserFacingError.error(.conflict, "import_registered_meanwhile", ["file": document.source])
        }
        return (report, report.problems)
    }

    /// Records the registration check of the valid rows' ID numbers in the caller's transaction.
    static func checkValidRows(_ document: CSVDocument, on db: isolated Connection) throws {
        let context = try RegistrationContext.load(on: db)
        let (candidates, _) = validate(document, context: context, progress: ProgressReporter(label: document.source, total: 0, quiet: true))
        try RegistrationCheck.record(candidates.map(\.registration.idNumber.value), on: db)
    }

    /// Checks every row in Swift (no query per row) and finds rows that repeat a person.
    static func validate(_ document: CSVDocument, context: RegistrationContext, progress: ProgressReporter) -> ([Candidate], [RuleViolation]) {
        var candidates: [Candidate] = []
        candidates.reserveCapacity(document.records.count)
        var problems: [RuleViolation] = []
        let columns = (requiredColumns + optionalColumns).map { document.column($0) }
        func value(_ record: CSVRecord, _ index: Int) -> String {
            guard let position = columns[index], position < record.values.count else { return "" }
            return record.values[position]
        }
        for (number, record) in document.records.enumerated() {
            if number % 10_000 == 0 { progress.update(number) }
            if let shape = document.shapeProblem(record) {
                problems.append(shape)
                continue
            }
            do {
                let registeredOn = value(record, 4).trimmingOuterWhitespace
                guard !registeredOn.isEmpty else {
                    throw RuleViolation(field: "registered_on", value: nil, code: "date_required")
                }
                let idText = value(record, 1)
                // "2.10682E+17": an ID number never holds a "+"; Excel's number format does.
                if idText.utf8.contains(UInt8(ascii: "+")), idText.uppercased().contains("E+") {
                    throw RuleViolation(field: "id_number", value: idText,
                                        code: "id_number_excel")
                }
                let request = RegistrationRequest(
                    name: value(record, 0), idNumber: value(record, 1), phone: value(record, 2), district: value(record, 3),
                    registeredOn: registeredOn, guardianName: value(record, 5), guardianPhone: value(record, 6),
                    guardianConsent: try RegistrationRules.consent(value(record, 7), line: record.line))
                let valid = try RegistrationRules.validate(request, context: context, fields: .csv)
                candidates.append(Candidate(line: record.line, registration: valid))
            } catch var violation as RuleViolation {
                violation.line = record.line
                problems.append(violation)
            } catch {
                problems.append(RuleViolation(field: "row", value: nil, rule: String(describing: error), line: record.line))
            }
        }
        // The same person twice in one file: an exact repeat is reported on the later line; two
        // rows that disagree are both bad (which one is right is for a person to decide).
        var firstIndex: [String: Int] = [:]
        var badIndexes = Set<Int>()
        for (index, candidate) in candidates.enumerated() {
            let key = candidate.registration.idNumber.value
            guard let earlier = firstIndex[key] else {
                firstIndex[key] = index
                continue
            }
            let first = candidates[earlier]
            let masked = candidate.registration.idNumber.masked
            badIndexes.insert(index)
            if first.registration == candidate.registration {
                problems.append(RuleViolation(field: "id_number", value: masked, code: "import_repeats_line", args: ["line_first": "\(first.line)"], line: candidate.line))
            } else {
                problems.append(RuleViolation(field: "id_number", value: masked,
                                              code: "import_same_id_different", args: ["other_line": "\(first.line)"], line: candidate.line))
                if !badIndexes.contains(earlier) {
                    badIndexes.insert(earlier)
                    problems.append(RuleViolation(field: "id_number", value: masked,
                                                  code: "import_same_id_different", args: ["other_line": "\(candidate.line)"], line: first.line))
                }
            }
        }
        if !badIndexes.isEmpty {
            candidates = candidates.enumerated().filter { !badIndexes.contains($0.offset) }.map(\.element)
        }
        return (candidates, problems)
    }

    static func stage(_ candidates: [Candidate], on db: isolated Connection) throws {
        // Left over from an earlier import in the same transaction (a caller's own transaction).
        if try db.query("SELECT to_regclass('pg_temp.vl_import_volunteer') IS NOT NULL").single().decode(0, as: Bool.self) {
            try db.execute("DROP TABLE pg_temp.vl_import_volunteer")
        }
        try db.execute("""
            CREATE TEMP TABLE vl_import_volunteer (
                line int PRIMARY KEY, name text NOT NULL, id_number text NOT NULL, phone text NOT NULL,
                district_code text NOT NULL, registered_on date NOT NULL,
                guardian_name text, guardian_phone text, guardian_consent boolean NOT NULL
            ) ON COMMIT DROP
            """)
        try db.copyIn("""
            COPY vl_import_volunteer (line, name, id_number, phone, district_code, registered_on, guardian_name, guardian_phone, guardian_consent)
            FROM STDIN
            """) { writer in
            for candidate in candidates {
                let r = candidate.registration
                try writer.write([
                    String(candidate.line), r.name, r.idNumber.value, r.phone.value, r.districtCode, r.registeredOn.description,
                    r.guardian?.name, r.guardian?.phone.value, r.guardian == nil ? "f" : "t",
                ])
            }
        }
        // A temporary table has no statistics until analysed; the joins below need them.
        try db.execute("ANALYZE vl_import_volunteer")
    }

    /// Rows whose ID number is already registered, found in one query: the same registration is
    /// "already present" (a file imported twice adds nothing); different data is a bad row that
    /// names the existing volunteer number.
    static func compareWithRegister(on db: isolated Connection) throws -> (present: Set<Int>, conflicts: [RuleViolation]) {
        let rows = try db.query("""
            SELECT s.line, v.number, s.id_number, v.name = s.name, v.phone = s.phone, v.registered_on = s.registered_on,
                   EXISTS (SELECT 1 FROM volunteer_district vd WHERE vd.volunteer_id = v.id AND vd.district_code = s.district_code)
            FROM vl_import_volunteer s JOIN volunteer v ON v.id_number = s.id_number
            """)
        var present = Set<Int>()
        var conflicts: [RuleViolation] = []
        for row in rows {
            let line: Int = try row.decode(0)
            let sameness = [("name", try row.decode(3, as: Bool.self)), ("phone", try row.decode(4, as: Bool.self)),
                            ("registered_on", try row.decode(5, as: Bool.self)), ("district_code", try row.decode(6, as: Bool.self))]
            let different = sameness.filter { !$0.1 }.map(\.0)
            if different.isEmpty {
                present.insert(line)
            } else {
                conflicts.append(RuleViolation(
                    field: "id_number", value: Masking.idNumber(try row.decode(2)),
                    code: "import_already_registered_different", args: ["number": "\(try row.decode(1, as: String.self))", "fields": "\(different.joined(separator: ", "))"],
                    line: line))
            }
        }
        return (present, conflicts)
    }

    /// One statement for every volunteer and their first district row; numbers follow file order.
    static func insertStaged(on db: isolated Connection) throws -> Int {
        try db.execute(insertStatement)
    }

    /// Also run by `vledger bench volunteer-import` on the psql side, so both load the same way.
    public static let insertStatement: SQL = """
        WITH inserted AS (
            INSERT INTO volunteer (name, id_number, phone, registered_on, guardian_name, guardian_phone, guardian_consent_at)
            SELECT name, id_number, phone, registered_on, guardian_name, guardian_phone,
                   CASE WHEN guardian_consent THEN clock_timestamp() END
            FROM vl_import_volunteer ORDER BY line
            RETURNING id, id_number, registered_on
        )
        INSERT INTO volunteer_district (volunteer_id, district_code, effective_from)
        SELECT i.id, s.district_code, i.registered_on FROM inserted i JOIN vl_import_volunteer s ON s.id_number = i.id_number
        """
}
