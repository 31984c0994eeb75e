import Foundation
import PostgresLibPQ

/// Import of a roster CSV (`volunteer,activity,start,minutes`).
///
/// The whole file is read and checked before anything is written: the format in Swift, the
/// rules set-based in SQL over a staging table loaded by COPY, each problem reported with its
/// line. Then one INSERT … SELECT writes the good rows (the ledger's triggers check them again).
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
        let table = try CSVFile.read(URL(fileURLWithPath: path))
        try table.requireColumns(header)
        let progress = options.showProgress ? ProgressReporter(label: "staging \(table.source)") : nil
        let skipBad = options.skipBad
        let (report, approved) = try await LedgerRetry.transaction(connection) { tx in
            try apply(table, skipBad: skipBad, approve: approve, progress: progress, on: tx)
        }
        var outcome = ImportOutcome(report: report, encoding: table.encoding, approved: approve ? approved : nil)
        if !report.problems.isEmpty {
            let target = options.rejectsURL(for: table.source)
            try RejectsFile.write(table, problems: report.problems, to: target)
            outcome.rejectsFile = target.path
        }
        return outcome
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
        try resolve(on: db)
        try check(on: db)
        problems += try db.query("SELECT line, field, value, rule FROM hours_import_problem ORDER BY line, field").map { row in
            RuleViolation(field: try row.decode(1), value: try row.decode(2), rule: try row.decode(3), line: try row.decode(0))
        }
        problems.sort { ($0.line ?? 0, $0.field) < ($1.line ?? 0, $1.field) }
        let alreadyPresent: Int = try db.query("SELECT count(*) FROM hours_import_row WHERE already_present").single().decode(0)
        var report = ImportReport(file: table.source, totalRows: table.records.count, skippedDuplicates: alreadyPresent, problems: problems)
        if !problems.isEmpty && !skipBad {
            throw VLedgerError.importRejected(report)
        }
        let inserted = try db.execute("""
            INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, request_id, source)
            SELECT r.volunteer_id, r.activity_id, r.service_start, r.minutes, r.request_id, 'import'
            FROM hours_import_row r
            WHERE NOT r.already_present AND NOT EXISTS (SELECT 1 FROM hours_import_problem p WHERE p.line = r.line)
            """)
        report.applied = inserted
        var approved = 0
        if approve {
            approved = try db.execute("""
                INSERT INTO hours_decision (entry_id, decision)
                SELECT e.id, 'approved'
                FROM hours_import_row r JOIN hours_entry e ON e.request_id = r.request_id
                WHERE NOT r.already_present AND NOT EXISTS (SELECT 1 FROM hours_import_problem p WHERE p.line = r.line)
                """)
        }
        return (report, approved)
    }

    /// The format of one row, checked in Swift; the rules are SQL's.
    /// `columns`: where volunteer, activity, start and minutes are in the record.
    static func stagingFields(_ record: CSVRecord, columns: [Int]) throws -> [String?] {
        let f = columns.map { record.values[$0] }
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
            throw RuleViolation(field: "activity", value: activityText, rule: "must be an activity id", line: record.line)
        }
        let minutesText = f[3].trimmingCharacters(in: .whitespaces)
        guard let minutes = Int32(minutesText), minutes > 0 else {
            throw RuleViolation(field: "minutes", value: minutesText, rule: "must be a positive whole number of minutes", line: record.line)
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
            case 3: guard let h = digits(index + 1, 2), h <= 15 else { return nil }
            case 5: guard let h = digits(index + 1, 2), h <= 15, let m = digits(index + 3, 2), m < 60 else { return nil }
            case 6: guard b[index + 3] == 58, let h = digits(index + 1, 2), h <= 15, let m = digits(index + 4, 2), m < 60 else { return nil }
            default: return nil
            }
            return false
        }
    }

    /// One row per staged line with the volunteer and activity looked up and the request id
    /// computed from the content (resolved ids and the UTC instant, so the same service written
    /// with a volunteer number or an ID number, or another offset, is the same row).
    static func resolve(on db: isolated Connection) throws {
        let timeZone = try Settings.load(db).timeZone
        try db.execute("""
            CREATE TEMP TABLE hours_import_row ON COMMIT DROP AS
            SELECT t.*, EXISTS (SELECT 1 FROM hours_entry e WHERE e.request_id = t.request_id) AS already_present
            FROM (
                SELECT r.*, 'import:' || encode(sha256(convert_to(
                           concat_ws('|', r.volunteer_id, r.activity_id,
                                     to_char(r.service_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), r.minutes),
                           'UTF8')), 'hex') AS request_id
                FROM (
                    SELECT s.line, s.vol_shown, s.activity_id, s.minutes,
                           coalesce(s.start_at, s.start_local AT TIME ZONE \(timeZone)) AS service_start,
                           (coalesce(s.start_at AT TIME ZONE \(timeZone), s.start_local))::date AS service_day,
                           coalesce(vn.id, vi.id) AS volunteer_id,
                           coalesce(vn.number, vi.number) AS volunteer_number,
                           coalesce(vn.registered_on, vi.registered_on) AS registered_on,
                           a.id IS NOT NULL AS activity_found, a.starts_at, a.ends_at, a.length_minutes, a.closed_at
                    FROM hours_import_staging s
                    LEFT JOIN volunteer vn ON vn.number = s.vol_number
                    LEFT JOIN volunteer vi ON vi.id_number = s.vol_id_number
                    LEFT JOIN activity a ON a.id = s.activity_id
                ) r
            ) t
            """)
        try db.execute("ANALYZE hours_import_row")
        // Volunteers in the file, locked in id order before the checks, so that what is checked is
        // what is written and two imports never deadlock each other.
        try db.execute("""
            SELECT 1 FROM volunteer WHERE id IN (SELECT DISTINCT volunteer_id FROM hours_import_row) ORDER BY id FOR UPDATE
            """)
    }

    /// Every rule, set-based, one problem row per (line, rule). Later phases only consider rows
    /// that passed the earlier ones, so one mistake is reported once, where it is.
    static func check(on db: isolated Connection) throws {
        try db.execute("CREATE TEMP TABLE hours_import_problem (line int NOT NULL, field text NOT NULL, value text, rule text NOT NULL) ON COMMIT DROP")
        // Phase 1: each row on its own. One pass finds the few suspect rows; the reasons are
        // then spelled out for those only.
        try db.execute("""
            INSERT INTO hours_import_problem (line, field, value, rule)
            WITH suspect AS MATERIALIZED (
                SELECT r.*, d.effective_on AS deregistered_on
                FROM hours_import_row r
                LEFT JOIN volunteer_deregistration d ON d.volunteer_id = r.volunteer_id AND d.effective_on <= r.service_day
                WHERE NOT r.already_present
                  AND (r.volunteer_id IS NULL OR NOT r.activity_found OR r.closed_at IS NOT NULL
                       OR r.service_start < r.starts_at OR r.service_start + r.minutes * interval '1 minute' > r.ends_at
                       OR r.service_start + r.minutes * interval '1 minute' > now()
                       OR r.registered_on > r.service_day OR d.volunteer_id IS NOT NULL)
            )
            SELECT r.line, 'volunteer', r.vol_shown, 'no such volunteer'
            FROM suspect r WHERE r.volunteer_id IS NULL
            UNION ALL
            SELECT r.line, 'activity', r.activity_id::text, 'no such activity'
            FROM suspect r WHERE NOT r.activity_found
            UNION ALL
            SELECT r.line, 'activity', r.activity_id::text, format('closed at %s; only corrections can be recorded on it', vl_local_text(r.closed_at))
            FROM suspect r WHERE r.closed_at IS NOT NULL
            UNION ALL
            SELECT r.line, 'start', vl_local_text(r.service_start),
                   format('%s minutes from then lie outside activity %s (%s to %s)', r.minutes, r.activity_id,
                          vl_local_text(r.starts_at), vl_local_text(r.ends_at))
            FROM suspect r
            WHERE r.activity_found AND (r.service_start < r.starts_at OR r.service_start + r.minutes * interval '1 minute' > r.ends_at)
            UNION ALL
            SELECT r.line, 'start', vl_local_text(r.service_start), format('service of %s minutes would end in the future', r.minutes)
            FROM suspect r WHERE r.service_start + r.minutes * interval '1 minute' > now()
            UNION ALL
            SELECT r.line, 'volunteer', r.volunteer_number,
                   format('not registered on the service date %s (registered on %s)', r.service_day, r.registered_on)
            FROM suspect r WHERE r.registered_on > r.service_day
            UNION ALL
            SELECT r.line, 'volunteer', r.volunteer_number,
                   format('deregistered on %s, before or on the service date %s', r.deregistered_on, r.service_day)
            FROM suspect r WHERE r.deregistered_on IS NOT NULL
            """)
        // Phase 2: duplicates and overlaps, among the surviving rows and with the volunteer's
        // entries in the ledger that are originals and not rejected (rows already imported are
        // skipped, not bad). In time order, a row that starts before the latest end so far
        // overlaps; one equal to the row before it is a duplicate.
        try db.execute("""
            INSERT INTO hours_import_problem (line, field, value, rule)
            SELECT line,
                   CASE WHEN duplicate THEN 'row' ELSE 'start' END,
                   CASE WHEN duplicate THEN NULL ELSE vl_local_text(service_start) END,
                   CASE WHEN duplicate THEN 'duplicates ' || prev_label
                        ELSE format('volunteer %s: overlaps %s, which runs until %s; service intervals cannot overlap',
                                    volunteer_number,
                                    CASE WHEN prev_end_lag > service_start THEN prev_label ELSE 'an earlier interval' END,
                                    vl_local_text(prev_end)) END
            FROM (
                SELECT x.*,
                       x.prev_line IS NOT NULL AND x.prev_start = x.service_start AND x.prev_end_lag = x.service_end
                           AND x.prev_activity = x.activity_id AS duplicate
                FROM (
                    SELECT i.*,
                           max(i.service_end) OVER w AS prev_end,
                           lag(i.label) OVER v AS prev_label,
                           lag(i.line) OVER v AS prev_line,
                           lag(i.service_start) OVER v AS prev_start,
                           lag(i.service_end) OVER v AS prev_end_lag,
                           lag(i.activity_id) OVER v AS prev_activity
                    FROM (
                        SELECT o.line, o.volunteer_id, o.volunteer_number, o.activity_id, o.service_start,
                               o.service_start + o.minutes * interval '1 minute' AS service_end,
                               'line ' || o.line AS label, o.line::bigint AS sort_key
                        FROM hours_import_row o
                        WHERE NOT o.already_present AND NOT EXISTS (SELECT 1 FROM hours_import_problem p WHERE p.line = o.line)
                        UNION ALL
                        SELECT NULL, e.volunteer_id, NULL, e.activity_id, e.service_start, e.service_start + e.minutes * interval '1 minute',
                               'entry ' || e.id, -e.id
                        FROM hours_entry e
                        WHERE e.volunteer_id IN (SELECT volunteer_id FROM hours_import_row)
                          AND e.corrects_id IS NULL
                          AND NOT EXISTS (SELECT 1 FROM hours_decision d WHERE d.entry_id = e.id AND d.decision = 'rejected')
                    ) i
                    WINDOW w AS (PARTITION BY i.volunteer_id ORDER BY i.service_start, i.sort_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                           v AS (PARTITION BY i.volunteer_id ORDER BY i.service_start, i.sort_key)
                ) x
            ) y
            WHERE line IS NOT NULL AND prev_end > service_start
            """)
        // Phase 3: net minutes per volunteer and activity stay within the activity's length.
        // Rows that passed phase 2 do not overlap each other nor the originals in the ledger, and
        // lie inside the activity, so their sum cannot exceed its length; only a correction in
        // the ledger (pending ones counted) can push it over. So only pairs with one are summed.
        try db.execute("""
            INSERT INTO hours_import_problem (line, field, value, rule)
            WITH corrected AS MATERIALIZED (
                SELECT c.volunteer_id, c.activity_id, sum(c.minutes) AS correction_minutes
                FROM hours_entry c
                WHERE c.corrects_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM hours_decision d WHERE d.entry_id = c.id AND d.decision = 'rejected')
                GROUP BY 1, 2
            ),
            existing AS MATERIALIZED (
                SELECT e.volunteer_id, e.activity_id, sum(e.minutes) AS minutes
                FROM hours_entry e JOIN corrected k ON k.volunteer_id = e.volunteer_id AND k.activity_id = e.activity_id
                WHERE NOT EXISTS (SELECT 1 FROM hours_decision d WHERE d.entry_id = e.id AND d.decision = 'rejected')
                GROUP BY 1, 2
            )
            SELECT line, 'minutes', minutes::text,
                   format('volunteer %s would stand at %s minutes on activity %s, more than its length %s (entries in the ledger and earlier lines counted)',
                          volunteer_number, running + existing, activity_id, length_minutes)
            FROM (
                SELECT o.line, o.minutes, o.volunteer_number, o.activity_id, o.length_minutes,
                       sum(o.minutes) OVER (PARTITION BY o.volunteer_id, o.activity_id ORDER BY o.service_start, o.line) AS running,
                       x.minutes AS existing
                FROM hours_import_row o
                JOIN existing x ON x.volunteer_id = o.volunteer_id AND x.activity_id = o.activity_id
                WHERE NOT o.already_present AND NOT EXISTS (SELECT 1 FROM hours_import_problem p WHERE p.line = o.line)
            ) t
            WHERE running + existing > length_minutes
            """)
        try db.execute("CREATE INDEX ON hours_import_problem (line)")
    }
}
