import Foundation
import PostgresLibPQ

/// Loads a generated city with COPY, in one transaction, into the tables of 0001_core.sql, in the
/// order things happen (originals, their decisions, then corrections and theirs), every row
/// keeping the rules of SPEC.md so the ledger's own checks accept it.
public enum SampleLoader {
    public struct Summary: Sendable, Equatable {
        public var districts: Int
        public var volunteers: Int
        public var activities: Int
        public var entries: Int
        public var corrections: Int
        public var firstYear: Int
        public var lastYear: Int
    }

    /// Refuses a database that already holds districts, volunteers, activities or hours: the
    /// sample is a whole city and does not mix with real records.
    /// `rowsPerStatement` bounds the rows of one COPY of hours or decisions (see below); tests
    /// lower it to exercise the split.
    public static func load(_ options: SampleOptions, on connection: Connection, quiet: Bool = false,
                            rowsPerStatement: Int = 1_000_000) async throws -> Summary {
        precondition(rowsPerStatement > 0)
        let summary = try await connection.transaction { db in
            try refuseNonEmpty(db)
            return try load(options, quiet: quiet, rowsPerStatement: rowsPerStatement, on: db)
        }
        // Fresh statistics and visibility maps, so the metrics' index-only scans work at once.
        try await connection.execute(
            "VACUUM (ANALYZE) district, population_revision, volunteer, volunteer_district, volunteer_deregistration, activity, hours_entry, hours_decision")
        return summary
    }

    static func refuseNonEmpty(_ db: isolated Connection) throws {
        let row = try db.query("""
            SELECT EXISTS (SELECT 1 FROM district), EXISTS (SELECT 1 FROM volunteer),
                   EXISTS (SELECT 1 FROM activity), EXISTS (SELECT 1 FROM hours_entry)
            """).single()
        if try row.decode(0, as: Bool.self) || row.decode(1, as: Bool.self) || row.decode(2, as: Bool.self) || row.decode(3, as: Bool.self) {
            throw UserFacingError.error(.conflict, "sample_not_empty")
        }
    }

    static func load(_ options: SampleOptions, quiet: Bool, rowsPerStatement: Int, on db: isolated Connection) throws -> Summary {
        let progress = { (label: String, total: Int) in ProgressReporter(label: "sample: " + (Catalog.has("ui.progress.\(label)") ? tr("ui.progress.\(label)") : label), total: total, quiet: quiet) }
        let city = SampleCity(options: options)
        // Local wall-clock text is read in the city's zone.
        let timeZone = try db.query("SELECT vl_time_zone()").single().decode(0, as: String.self)
        try db.execute("SELECT set_config('TimeZone', \(timeZone), true)")
        try db.execute("LOCK TABLE volunteer, activity, hours_entry, hours_decision IN EXCLUSIVE MODE")

        try db.copyIn("COPY district (code, name, built_up, recorded_at) FROM STDIN") { writer in
            for district in city.districts {
                try writer.write([district.code, district.name, district.builtUp ? "t" : "f", SampleCity.localText(district.recordedMinute)])
            }
        }
        try db.copyIn("COPY population_revision (district_code, year, residents, source, recorded_at) FROM STDIN") { writer in
            for population in city.populations {
                try writer.write([city.districts[population.district].code, String(population.year), String(population.residents),
                                  population.source, SampleCity.localText(population.recordedMinute)])
            }
        }

        let volunteerBase = try nextIdentity("volunteer", db)
        let volunteerProgress = progress("volunteers", city.volunteers.count)
        try db.copyIn("COPY volunteer (name, id_number, phone, registered_on, consent_recorded_at, recorded_at) FROM STDIN") { writer in
            for (index, volunteer) in city.volunteers.enumerated() {
                let recorded = SampleCity.localText(volunteer.recordedMinute)
                try writer.write([volunteer.name, volunteer.idNumber, volunteer.phone,
                                  CalendarDate(daysSinceEpoch: volunteer.registeredDay).description, recorded, recorded])
                if index % 10_000 == 0 { volunteerProgress.update(index) }
            }
        }
        try checkIdentities("volunteer", base: volunteerBase, count: city.volunteers.count, db)
        volunteerProgress.update(city.volunteers.count, force: true)
        try db.copyIn("COPY volunteer_district (volunteer_id, district_code, effective_from, recorded_at) FROM STDIN") { writer in
            for (index, volunteer) in city.volunteers.enumerated() {
                let id = String(volunteerBase + Int64(index))
                try writer.write([id, city.districts[volunteer.district].code,
                                  CalendarDate(daysSinceEpoch: volunteer.registeredDay).description, SampleCity.localText(volunteer.recordedMinute)])
                if let move = volunteer.move {
                    try writer.write([id, city.districts[move.district].code,
                                      CalendarDate(daysSinceEpoch: move.day).description, SampleCity.localText(move.recordedMinute)])
                }
            }
        }
        try db.copyIn("COPY volunteer_deregistration (volunteer_id, effective_on, reason, recorded_at) FROM STDIN") { writer in
            for (index, volunteer) in city.volunteers.enumerated() {
                guard let leaving = volunteer.deregistration else { continue }
                try writer.write([String(volunteerBase + Int64(index)), CalendarDate(daysSinceEpoch: leaving.day).description,
                                  SampleVocabulary.deregistrationReasons[leaving.reason], SampleCity.localText(leaving.recordedMinute)])
            }
        }

        var orgs = SampleOrgs(seed: options.seed)
        try orgs.writeOrganisations(city, on: db)
        let activityBase = try nextIdentity("activity", db)
        let activityProgress = progress("activities", city.activities.count)
        try db.copyIn("""
            COPY activity (title, category, category_code, district_code, organiser, starts_at, ends_at, recorded_at, organisation_id, project_id) FROM STDIN
            """) { writer in
            for (index, activity) in city.activities.enumerated() {
                let (start, length) = city.activityStart(index)
                let district = city.districts[activity.district]
                let (category, title) = SampleVocabulary.activities[activity.kind]
                let grouping = orgs.grouping(of: activity, startMinute: start, city: city)
                try writer.write([title, category, SampleVocabulary.categoryCodes[category] ?? "other", district.code,
                                  district.name + SampleVocabulary.organiserSuffixes[activity.organiser],
                                  SampleCity.localText(start), SampleCity.localText(start + length),
                                  SampleCity.localText(activity.recordedMinute), grouping.organisation, grouping.project])
                if index % 10_000 == 0 { activityProgress.update(index) }
            }
        }
        try checkIdentities("activity", base: activityBase, count: city.activities.count, db)
        activityProgress.update(city.activities.count, force: true)
        try orgs.writePeople(city, volunteerBase: volunteerBase, on: db)
        var recognition = SampleRecognition(seed: options.seed)
        try recognition.write(city, volunteerBase: volunteerBase, on: db)

        // Generated whole first, then written a bounded number of rows per COPY: each statement is
        // one audit link whose digest the server builds in memory (32 bytes a row, 1 GB at most),
        // so one COPY of tens of millions of rows would fail at its very end.
        var hours = SampleHours(city: city)
        let generation = progress("generating hours", options.entries)
        var generated = 0
        hours.generate { _ in
            generated += 1
            if generated % 100_000 == 0 { generation.update(generated) }
        }
        generation.finish(tr("ui.sample.generated", ["entries": String(hours.originals.count), "corrections": String(hours.corrections.count)]))
        let entryBase = try nextIdentity("hours_entry", db)
        let entryProgress = progress("hours entries", hours.originals.count)
        try copyInStatements("COPY hours_entry (volunteer_id, activity_id, service_start, minutes, source, recorded_by, recorded_at) FROM STDIN",
                             hours.originals, rowsPerStatement: rowsPerStatement, progress: entryProgress, on: db) { writer, entry in
            try writer.write([String(volunteerBase + Int64(entry.volunteer)), String(activityBase + Int64(entry.activity)),
                              SampleCity.localText(entry.start), String(entry.minutes), "sample",
                              recorder(of: city.activities[Int(entry.activity)].district, city),
                              SampleCity.localText(entry.recordedMinute)])
        }
        try checkIdentities("hours_entry", base: entryBase, count: hours.originals.count, db)
        try copyDecisions(hours.originals.lazy.enumerated().map { (entryBase + Int64($0.offset), $0.element.decision) },
                          rowsPerStatement: rowsPerStatement, progress: progress("decisions", hours.originals.count), db)

        let correctionBase = try nextIdentity("hours_entry", db)
        try copyInStatements("COPY hours_entry (volunteer_id, activity_id, service_start, minutes, corrects_id, reason, source, recorded_by, recorded_at) FROM STDIN",
                             hours.corrections, rowsPerStatement: rowsPerStatement, progress: nil, on: db) { writer, correction in
            let original = hours.originals[correction.original]
            try writer.write([String(volunteerBase + Int64(original.volunteer)), String(activityBase + Int64(original.activity)),
                              SampleCity.localText(original.start), String(correction.delta), String(entryBase + Int64(correction.original)),
                              correction.reason, "correction", recorder(of: city.activities[Int(original.activity)].district, city),
                              SampleCity.localText(correction.recordedMinute)])
        }
        try checkIdentities("hours_entry", base: correctionBase, count: hours.corrections.count, db)
        try copyDecisions(hours.corrections.lazy.enumerated().map { (correctionBase + Int64($0.offset), $0.element.decision) },
                          rowsPerStatement: rowsPerStatement, progress: nil, db)
        try SampleProvenance.write(city, on: db)
        try SampleSurvey.write(city, on: db)

        return Summary(
            districts: city.districts.count, volunteers: city.volunteers.count, activities: city.activities.count,
            entries: hours.originals.count, corrections: hours.corrections.count,
            firstYear: options.firstYear, lastYear: options.lastYear)
    }

    /// Hours are recorded by each district's organiser and reviewed by someone else, as in a real
    /// city; with the loading login in both columns every sample approval would be a self-approval
    /// and `hours anomalies` would list them all.
    static func recorder(of district: Int, _ city: SampleCity) -> String {
        "sample_organiser_" + city.districts[district].code
    }

    static let reviewer = "sample_reviewer"

    static func copyDecisions(_ decisions: some Collection<(Int64, SampleHours.Decision)>, rowsPerStatement: Int,
                              progress: ProgressReporter?, _ db: isolated Connection) throws {
        try copyInStatements("COPY hours_decision (entry_id, decision, reason, decided_by, decided_at) FROM STDIN",
                             decisions, rowsPerStatement: rowsPerStatement, progress: progress, on: db) { writer, item in
            let (id, decision) = item
            switch decision {
            case .pending: return
            case .approved(let minute):
                try writer.write([String(id), "approved", nil, reviewer, SampleCity.localText(minute)])
            case .rejected(let minute, let reason):
                try writer.write([String(id), "rejected", SampleVocabulary.rejectionReasons[reason], reviewer, SampleCity.localText(minute)])
            }
        }
    }

    /// `rows` in order, at most `rowsPerStatement` of them per COPY statement (all in the caller's
    /// transaction); progress counts rows handed over, whether or not `write` wrote them.
    static func copyInStatements<Rows: Collection>(
        _ sql: SQL, _ rows: Rows, rowsPerStatement: Int, progress: ProgressReporter?,
        on db: isolated Connection, _ write: (CopyWriter, Rows.Element) throws -> Void
    ) throws {
        var start = rows.startIndex
        var done = 0
        while start != rows.endIndex {
            let end = rows.index(start, offsetBy: rowsPerStatement, limitedBy: rows.endIndex) ?? rows.endIndex
            try db.copyIn(sql) { writer in
                for row in rows[start..<end] {
                    try write(writer, row)
                    done += 1
                    if done % 20_000 == 0 { progress?.update(done) }
                }
            }
            start = end
        }
        progress?.update(done, force: true)
    }

    /// The id the next row of `table` gets from its identity sequence. The table is locked, so a
    /// COPY of n rows takes exactly the next n values (checked afterwards).
    static func nextIdentity(_ table: String, _ db: isolated Connection) throws -> Int64 {
        try db.query("""
            SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence(\(table), 'id')::regclass) + 1, 1)
            """).single().decode(0)
    }

    static func checkIdentities(_ table: String, base: Int64, count: Int, _ db: isolated Connection) throws {
        guard count > 0 else { return }
        let row = try db.query("SELECT min(id), max(id), count(*) FROM \(unsafeRaw: table) WHERE id >= \(base)").single()
        let (low, high, rows) = (try row.decode(0, as: Int64.self), try row.decode(1, as: Int64.self), try row.decode(2, as: Int64.self))
        guard low == base, high == base + Int64(count) - 1, rows == Int64(count) else {
            throw VLedgerError.conflict("sample: \(table) ids were not assigned in one run (\(low)…\(high), \(rows) rows); nothing was written")
        }
    }
}
