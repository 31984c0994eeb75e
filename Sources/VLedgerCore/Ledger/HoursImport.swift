import Foundation
import PostgresLibPQ

/// Import of a roster CSV (`volunteer,activity,start,minutes`).
///
/// The whole file is read and checked before anything is committed: the format in Swift, then
/// every row goes through the ledger's own rule trigger (db/migrations/0050) in one INSERT …
/// SELECT, with `vledger.collect_hours_problems` on, so that a row breaking a rule is listed with
/// its line and rule instead of stopping the statement. The rules exist once, in the database.
/// With any bad row the transaction is rolled back (nothing written) unless `--skip-bad`.
/// Each row carries a request id derived from its content, so importing a file twice adds
/// nothing the second time.
public enum HoursImport {
    static let header = ["volunteer", "activity", "start", "minutes"]

    /// Imports the roster at `path` in one transaction (run again if PostgreSQL picks it as a
    /// deadlock victim); with `approve`, the new entries are approved in it too. Throws
    /// `VLedgerError.importRejected` (nothing written) when a row is bad and `options.skipBad` is
    /// false; otherwise the rejects file is written once the good rows are committed.
    public static func importFile(_ path: String, options: ImportOptions = ImportOptions(showProgress: false), approve: Bool = false,
                                  on connection: Connection) async throws -> ImportOutcome {
        try await importFile(path, options: options, approve: approve, in: LedgerSession(connection))
    }

    static func apply(_ table: CSVDocument, skipBad: Bool, approve: Bool, progress: ProgressReporter?,
                      on db: isolated Connection) throws -> (ImportReport, approved: Int) {
        // Columns are found by name once, not per row: a roster has millions of rows.
        let columns = header.map { table.column($0)! }
        var problems: [RuleViolation] = []
        try db.execute("""
            CREATE TEMP TABLE hours_import_staging (
                line int NOT NULL, vol_number text, vol_id_number text, vol_shown text NOT NULL,
                activity_id bigint NOT NULL, start_at timestamptz, start_local timestamp, minutes int NOT NULL
            ) ON COMMIT DROP
            """)
        try db.copyIn("COPY hours_import_staging FROM STDIN") { writer in
            for (index, record) in table.records.enumerated() {
                if index > 0 && index % 100_000 == 0 { progress?.update(index) }
                do {
                    if let shape = table.shapeProblem(record) { throw shape }
                    try writer.write(try stagingFields(record, columns: columns))
                } catch let violation as RuleViolation {
                    problems.append(violation)
                }
            }
        }
        if table.records.count >= 100_000 { progress?.update(table.records.count, force: true) }
        // A local time in the gap of a clock change (Asia/Shanghai 1986–1991) names no instant;
        // AT TIME ZONE would move it silently. Such rows are problems and are not staged.
        let timeZone = try Settings.load(db).timeZone
        problems += try db.query("""
            DELETE FROM hours_import_staging
            WHERE start_local IS NOT NULL AND (start_local AT TIME ZONE \(timeZone)) AT TIME ZONE \(timeZone) <> start_local
            RETURNING line, to_char(start_local, 'YYYY-MM-DD HH24:MI:SS')
            """).map { row in
            RuleViolation(field: "start", value: try row.decode(1), code: "time_exists_locally",
                          args: ["zone": timeZone], line: try row.decode(0))
        }
        try resolve(on: db)
        let inserted = try insertThroughTheRules(on: db)
        problems += try db.query("""
            SELECT line, field, value, rule, code, args::text FROM hours_import_problem ORDER BY line, field
            """).map { row in
            RuleViolation(field: try row.decode(1), value: try row.decode(2), rule: try row.decode(3), line: try row.decode(0),
                          code: try row.decode(4), args: RuleDetail.arguments(try row.decode(5)))
        }
        problems.sort { ($0.line ?? 0, $0.field) < ($1.line ?? 0, $1.field) }
        let alreadyPresent: Int = try db.query("SELECT count(*) FROM hours_import_row WHERE already_present").single().decode(0)
        var report = ImportReport(file: table.source, totalRows: table.records.count, skippedDuplicates: alreadyPresent, problems: problems)
        if !problems.isEmpty && !skipBad {
            // Thrown inside the transaction: the good rows inserted above are rolled back with it.
            throw VLedgerError.importRejected(report)
        }
        report.applied = inserted
        var approved = 0
        if approve {
            // In the volunteers' order, the order their locks were taken in by the inserts.
            approved = try db.execute("""
                INSERT INTO hours_decision (entry_id, decision)
                SELECT e.id, 'approved'
                FROM hours_import_row r JOIN hours_entry e ON e.request_id = r.request_id
                WHERE r.first_line AND NOT r.already_present
                  AND NOT EXISTS (SELECT 1 FROM hours_decision d WHERE d.entry_id = e.id)
                ORDER BY r.volunteer_id, r.service_start
                """)
        }
        return (report, approved)
    }

    /// The format of one row, checked in Swift; the rules are SQL's.
    /// `columns`: where volunteer, activity, start and minutes are in the record.
    static func stagingFields(_ record: CSVRecord, columns: [Int]) throws -> [String?] {
        // Every column here is a code, a number or a time: full-width forms are their ASCII.
        let f = columns.map { SpreadsheetText.halfwidth(record.values[$0]) }
        let key = f[0].trimmingCharacters(in: .whitespaces).uppercased()
        var number: String?
        var idNumber: String?
        var shown = key
        if key.hasPrefix("VL") {
            number = key
        } else {
            do {
                idNumber = try IDNumber(key, field: "volunteer").value
                shown = Masking.idNumber(idNumber!)
            } catch var violation as RuleViolation {
                violation.line = record.line
                violation.rule = "must be a volunteer number (VL…) or a valid ID number: " + violation.rule
                throw violation
            }
        }
        let activityText = f[1].trimmingCharacters(in: .whitespaces)
        guard let activity = Int64(activityText), activity > 0 else {
            throw RuleViolation(field: "activity", value: activityText, code: "activity_id_short", line: record.line)
        }
        let minutesText = f[3].trimmingCharacters(in: .whitespaces)
        guard let minutes = Int32(minutesText), minutes > 0 else {
            throw RuleViolation(field: "minutes", value: minutesText, code: "hours_minutes_positive", line: record.line)
        }
        var startAt: String?
        var startLocal: String?
        let startText = f[2].trimmingCharacters(in: .whitespaces)
        if let local = quickTime(startText) {
            // Already checked to be a form PostgreSQL reads the same way: passed on as written.
            if local { startLocal = startText } else { startAt = startText }
        } else {
            let start: TimeInput
            do {
                start = try TimeInput.parse(startText, field: "start")
            } catch var violation as RuleViolation {
                violation.line = record.line
                throw violation
            }
            switch start {
            case .instant(let date): startAt = date.postgresText
            case .local(let date, let hour, let minute, let second):
                startLocal = "\(date) " + [hour, minute, second].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
            }
        }
        return [String(record.line), number, idNumber, shown, String(activity), startAt, startLocal, String(minutes)]
    }

    /// true for a local time, false for an instant with an offset, nil when not a common form.
    /// The common TIME forms, checked byte by byte without allocating (a roster has millions of
    /// rows): `YYYY-MM-DD[ T]HH:MM[:SS]`, optionally followed by `Z`, `±HH`, `±HHMM` or `±HH:MM`.
    /// The date must be a real day and the fields in range. Anything else (nil) goes through
    /// `TimeInput.parse`, which accepts the same and more and says what is wrong.
    static func quickTime(_ text: String) -> Bool? {
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { b -> Bool? in
            func digits(_ from: Int, _ count: Int) -> Int? {
                var value = 0
                for i in from..<from + count {
                    let d = Int(b[i]) - 48
                    guard d >= 0, d <= 9 else { return nil }
                    value = value * 10 + d
                }
                return value
            }
            guard b.count >= 16, b[4] == 45, b[7] == 45, b[10] == 32 || b[10] == 84, b[13] == 58,
                  let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
                  let hour = digits(11, 2), let minute = digits(14, 2), hour < 24, minute < 60,
                  CalendarDate(year: year, month: month, day: day) != nil
            else { return nil }
            var index = 16
            if index < b.count, b[index] == 58 {
                guard b.count >= 19, let second = digits(17, 2), second < 60 else { return nil }
                index = 19
            }
            if index == b.count { return true }
            let rest = b.count - index
            if rest == 1, b[index] == 90 { return false }
            guard b[index] == 43 || b[index] == 45 else { return nil }
            switch rest {
            // At most ±14:00; anything else goes to TimeInput.parse, which says why it is refused.
            case 3: guard let h = digits(index + 1, 2), h <= 14 else { return nil }
            case 5: guard let h = digits(index + 1, 2), let m = digits(index + 3, 2), m < 60, h * 60 + m <= 840 else { return nil }
            case 6: guard b[index + 3] == 58, let h = digits(index + 1, 2), let m = digits(index + 4, 2), m < 60, h * 60 + m <= 840 else { return nil }
            default: return nil
            }
            return false
        }
    }

    /// One row per staged line with the volunteer looked up (vl_volunteer_lookup_many: organisers
    /// may not read the volunteer table) and the request id computed from the content (resolved
    /// ids and the UTC instant, so the same service written with a volunteer number or an ID
    /// number, or another offset, is the same row). Lines that name no volunteer, and lines that
    /// repeat an earlier line, are problems here; everything else is for the ledger's rules.
    static func resolve(on db: isolated Connection) throws {
        let timeZone = try Settings.load(db).timeZone
        // ID numbers go through the counted two-step lookup (0090); volunteer numbers do not.
        let idNumbers = try db.query("""
            SELECT DISTINCT vol_id_number FROM hours_import_staging WHERE vol_number IS NULL AND vol_id_number IS NOT NULL ORDER BY 1
            """).map { try $0.decode(0, as: String.self) }
        let outcomes = try IDLookup.lookUp(idNumbers, partial: true, on: db)
        try db.execute("CREATE TEMP TABLE hours_import_id (key text PRIMARY KEY, id bigint, number text, refused boolean NOT NULL) ON COMMIT DROP")
        if !idNumbers.isEmpty {
            // "" for none: array parameters carry no NULLs.
            var ids: [String] = [], numbers: [String] = [], refused: [Bool] = []
            for outcome in outcomes {
                switch outcome {
                case .found(let ref): ids.append(String(ref.id)); numbers.append(ref.number); refused.append(false)
                case .notFound: ids.append(""); numbers.append(""); refused.append(false)
                case .refused: ids.append(""); numbers.append(""); refused.append(true)
                }
            }
            try db.execute("""
                INSERT INTO hours_import_id (key, id, number, refused)
                SELECT u.k, nullif(u.i, '')::bigint, nullif(u.n, ''), u.r
                FROM unnest(\(idNumbers)::text[], \(ids)::text[], \(numbers)::text[], \(refused)::boolean[]) AS u(k, i, n, r)
                """)
        }
        try db.execute("""
            CREATE TEMP TABLE hours_import_row ON COMMIT DROP AS
            SELECT t.*,
                   t.line = min(t.line) OVER (PARTITION BY t.request_id) AS first_line,
                   min(t.line) OVER (PARTITION BY t.request_id) AS first_of_request,
                   t.request_id IS NOT NULL AND EXISTS (SELECT 1 FROM hours_entry e WHERE e.request_id = t.request_id) AS already_present
            FROM (
                SELECT r.*, CASE WHEN r.volunteer_id IS NOT NULL THEN 'import:' || encode(sha256(convert_to(
                           concat_ws('|', r.volunteer_id, r.activity_id,
                                     to_char(r.service_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), r.minutes),
                           'UTF8')), 'hex') END AS request_id
                FROM (
                    SELECT s.line, s.vol_shown, s.activity_id, s.minutes,
                           coalesce(s.start_at, s.start_local AT TIME ZONE \(timeZone)) AS service_start,
                           v.id AS volunteer_id, v.number AS volunteer_number
                    FROM hours_import_staging s
                    LEFT JOIN (SELECT m.key, m.id, m.number
                                 FROM vl_volunteer_lookup_many((SELECT coalesce(array_agg(DISTINCT vol_number), '{}') FROM hours_import_staging)) m
                               UNION ALL
                               SELECT k.key, k.id, k.number FROM hours_import_id k WHERE k.id IS NOT NULL) v
                           ON v.key = coalesce(s.vol_number, s.vol_id_number)
                ) r
            ) t
            """)
        try db.execute("CREATE INDEX ON hours_import_row (request_id)")
        try db.execute("ANALYZE hours_import_row")
        try db.execute("""
            CREATE TEMP TABLE hours_import_problem (line int NOT NULL, field text NOT NULL, value text, rule text NOT NULL, code text, args jsonb)
            ON COMMIT DROP
            """)
        try db.execute("""
            INSERT INTO hours_import_problem (line, field, value, rule, code)
            SELECT r.line, 'volunteer', r.vol_shown,
                   CASE WHEN k.refused THEN 'not looked up: lookups by ID number are refused for this login for the hour (too many found nothing); use the volunteer number'
                        ELSE 'no such volunteer' END,
                   CASE WHEN k.refused THEN 'id_lookup_limited' ELSE 'volunteer_exists' END
            FROM hours_import_row r
            LEFT JOIN hours_import_staging s ON s.line = r.line
            LEFT JOIN hours_import_id k ON k.key = s.vol_id_number AND s.vol_number IS NULL
            WHERE r.volunteer_id IS NULL
            UNION ALL
            SELECT line, 'row', NULL, 'duplicates line ' || first_of_request, 'import_duplicate_row'
            FROM hours_import_row WHERE request_id IS NOT NULL AND NOT first_line AND NOT already_present
            """)
    }

    /// Inserts every row that is not a problem already through the ledger's rule trigger, in the
    /// volunteers' order (so locks are taken in id order and two imports never deadlock, and a
    /// row that overlaps an earlier one of the file is the one reported). The trigger notes each
    /// row that breaks a rule in pg_temp.vl_hours_problem and skips it; those become problems
    /// here, with an overlap of an entry of this very file named by its line.
    static func insertThroughTheRules(on db: isolated Connection) throws -> Int {
        try db.execute("""
            CREATE TEMP TABLE vl_hours_problem (request_id text, rule text, field text, value text, message text, other_entry bigint, args jsonb)
            ON COMMIT DROP
            """)
        // Transaction-local: gone with the commit or the rollback.
        try db.execute("SELECT set_config('vledger.collect_hours_problems', 'on', true)")
        let inserted = try db.execute("""
            INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, request_id, source)
            SELECT r.volunteer_id, r.activity_id, r.service_start, r.minutes, r.request_id, 'import'
            FROM hours_import_row r
            WHERE r.volunteer_id IS NOT NULL AND r.first_line AND NOT r.already_present
            ORDER BY r.volunteer_id, r.service_start, r.line
            """)
        try db.execute("SELECT set_config('vledger.collect_hours_problems', 'off', true)")
        try db.execute("""
            INSERT INTO hours_import_problem (line, field, value, rule, code, args)
            SELECT r.line, p.field, p.value,
                   CASE WHEN o.line IS NOT NULL
                        THEN replace(p.message, 'overlaps entry ' || p.other_entry || ' ', 'overlaps line ' || o.line || ' ')
                        ELSE p.message END,
                   p.rule,
                   -- An entry of this very file is rolled back with it: named by its line instead.
                   CASE WHEN o.line IS NOT NULL
                        THEN (p.args - 'other_entry') || jsonb_build_object('other_line', o.line::text)
                        ELSE p.args END
            FROM vl_hours_problem p
            JOIN hours_import_row r ON r.request_id = p.request_id AND r.first_line
            LEFT JOIN hours_entry oe ON oe.id = p.other_entry
            LEFT JOIN hours_import_row o ON o.request_id = oe.request_id AND o.first_line
            """)
        return inserted
    }
}
