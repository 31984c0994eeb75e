import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// The sample city keeps every rule of SPEC.md, so the ledger's own checks accept it.
struct SampleRulesTests {
    @Test func everyGeneratedRowKeepsTheRules() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let options = try SampleOptions(volunteers: 400, entries: 6000, seed: 11, years: 2, districts: 7, lastYear: 2024)
            let summary = try await SampleLoader.load(options, on: db, quiet: true)
            #expect(summary.volunteers == 400 && summary.districts == 7 && summary.corrections > 0)
            #expect(summary.entries > 5000 && summary.entries < 7000)
            let violations: [(String, SQL)] = [
                ("invalid ID number", "SELECT count(*) FROM volunteer WHERE NOT vl_id_number_valid(id_number)"),
                ("minor or born after registration", "SELECT count(*) FROM volunteer WHERE registered_on < birth_date + interval '18 years'"),
                ("bad phone", "SELECT count(*) FROM volunteer WHERE phone !~ '^1[3-9][0-9]{9}$'"),
                ("self-approval (an organiser never approves their own entry)", """
                    SELECT count(*) FROM hours_decision d JOIN hours_entry e ON e.id = d.entry_id WHERE d.decided_by = e.recorded_by
                    """),
                ("registration without its district row", """
                    SELECT count(*) FROM volunteer v WHERE NOT EXISTS (
                        SELECT 1 FROM volunteer_district d WHERE d.volunteer_id = v.id AND d.effective_from = v.registered_on)
                    """),
                ("move before registration", """
                    SELECT count(*) FROM volunteer_district d JOIN volunteer v ON v.id = d.volunteer_id WHERE d.effective_from < v.registered_on
                    """),
                ("service while not registered", """
                    SELECT count(*) FROM hours_entry e JOIN volunteer v ON v.id = e.volunteer_id
                      LEFT JOIN volunteer_deregistration x ON x.volunteer_id = v.id
                     WHERE (e.service_start AT TIME ZONE vl_time_zone())::date < v.registered_on
                        OR (e.service_start AT TIME ZONE vl_time_zone())::date >= x.effective_on
                    """),
                ("service outside the activity", """
                    SELECT count(*) FROM (
                        SELECT e.id FROM hours_entry e JOIN activity a ON a.id = e.activity_id
                          LEFT JOIN hours_entry c ON c.corrects_id = e.id
                         WHERE e.corrects_id IS NULL
                         GROUP BY e.id, e.service_start, e.minutes, a.starts_at, a.ends_at
                        HAVING e.service_start < a.starts_at
                            OR e.service_start + make_interval(mins => e.minutes + greatest(0, coalesce(sum(c.minutes), 0))::int) > a.ends_at) bad
                    """),
                ("net minutes outside 0..length", """
                    SELECT count(*) FROM (
                        SELECT e.volunteer_id, e.activity_id FROM hours_entry e JOIN activity a ON a.id = e.activity_id
                          LEFT JOIN hours_decision d ON d.entry_id = e.id
                         WHERE coalesce(d.decision, 'pending') <> 'rejected'
                         GROUP BY e.volunteer_id, e.activity_id, a.length_minutes
                        HAVING sum(e.minutes) < 0 OR sum(e.minutes) > a.length_minutes
                            OR sum(e.minutes) FILTER (WHERE d.decision = 'approved') < 0) bad
                    """),
                ("overlapping service", """
                    SELECT count(*) FROM hours_entry a JOIN hours_entry b
                      ON a.volunteer_id = b.volunteer_id AND a.id < b.id AND a.corrects_id IS NULL AND b.corrects_id IS NULL
                     AND tstzrange(a.service_start, a.service_start + make_interval(mins => a.minutes))
                         && tstzrange(b.service_start, b.service_start + make_interval(mins => b.minutes))
                    """),
                ("correction not copying its original", """
                    SELECT count(*) FROM hours_entry c JOIN hours_entry o ON o.id = c.corrects_id
                     WHERE (c.volunteer_id, c.activity_id, c.service_start) <> (o.volunteer_id, o.activity_id, o.service_start)
                        OR c.recorded_at < o.recorded_at OR o.corrects_id IS NOT NULL
                    """),
                ("correction of an entry that is not approved", """
                    SELECT count(*) FROM hours_entry c LEFT JOIN hours_decision d ON d.entry_id = c.corrects_id
                     WHERE c.corrects_id IS NOT NULL AND coalesce(d.decision, 'pending') <> 'approved'
                    """),
                ("something in the future", """
                    SELECT (SELECT count(*) FROM hours_entry WHERE service_start > now() OR recorded_at > now())
                         + (SELECT count(*) FROM hours_decision WHERE decided_at > now())
                         + (SELECT count(*) FROM volunteer WHERE registered_on > current_date OR recorded_at > now())
                    """),
                ("recorded before what it records", """
                    SELECT (SELECT count(*) FROM hours_entry e WHERE e.recorded_at < e.service_start + make_interval(mins => greatest(e.minutes, 0)) AND e.corrects_id IS NULL)
                         + (SELECT count(*) FROM hours_decision d JOIN hours_entry e ON e.id = d.entry_id WHERE d.decided_at < e.recorded_at)
                         + (SELECT count(*) FROM volunteer v JOIN volunteer_district vd ON vd.volunteer_id = v.id JOIN district d ON d.code = vd.district_code
                             WHERE d.recorded_at > v.recorded_at)
                    """),
            ]
            for (rule, query) in violations {
                #expect(try await db.query(query).single().decode(0, as: Int64.self) == 0, "\(rule)")
            }
            let mix = try await db.query("""
                SELECT count(*) FILTER (WHERE d.decision = 'approved'), count(*) FILTER (WHERE d.decision = 'rejected'),
                       count(*) FILTER (WHERE d.entry_id IS NULL), (SELECT count(*) FROM volunteer_deregistration),
                       (SELECT count(*) FROM volunteer_district) - (SELECT count(*) FROM volunteer),
                       (SELECT count(*) FROM population_revision) - 7 * 2
                  FROM hours_entry e LEFT JOIN hours_decision d ON d.entry_id = e.id
                """).single()
            for column in 0..<6 {
                #expect(try mix.decode(column, as: Int64.self) > 0, "column \(column) of approved/rejected/pending/deregistered/moved/revised")
            }
        }
    }

    /// A large city is written a bounded number of rows per COPY (one audit link each, whose digest
    /// the server builds in memory); split or not, the city and its figures are the same.
    @Test func splittingTheLoadIntoStatementsChangesNothingButTheAuditLinks() async throws {
        let options = try SampleOptions(volunteers: 300, entries: 4000, seed: 5, years: 2, districts: 5, lastYear: 2024)
        let contents: SQL = """
            SELECT (SELECT md5(string_agg(concat_ws(',', id, volunteer_id, activity_id, service_start, minutes, corrects_id, recorded_at), ';' ORDER BY id)) FROM hours_entry),
                   (SELECT md5(string_agg(concat_ws(',', entry_id, decision, reason, decided_at), ';' ORDER BY entry_id)) FROM hours_decision),
                   (SELECT md5(string_agg(concat_ws(',', volunteer_id, year, month, minutes), ';' ORDER BY year, month, volunteer_id)) FROM metrics_volunteer_month)
            """
        let whole = try await TestDatabase.with { database in
            let db = try await database.connect()
            _ = try await SampleLoader.load(options, on: db, quiet: true)
            let row = try await db.query(contents).single()
            return try (0..<3).map { try row.decode($0, as: String.self) }
        }
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let summary = try await SampleLoader.load(options, on: db, quiet: true, rowsPerStatement: 700)
            let row = try await db.query(contents).single()
            #expect(try (0..<3).map { try row.decode($0, as: String.self) } == whole)
            let links = try await db.query("""
                SELECT table_name, count(*), max(row_count), sum(row_count)::bigint FROM audit_chain
                 WHERE table_name IN ('hours_entry', 'hours_decision') AND operation = 'INSERT' GROUP BY table_name ORDER BY table_name
                """).map { try ($0.decode(0, as: String.self), $0.decode(1, as: Int64.self), $0.decode(2, as: Int64.self), $0.decode(3, as: Int64.self)) }
            let rows = summary.entries + summary.corrections
            #expect(links.map(\.0) == ["hours_decision", "hours_entry"])
            #expect(links.allSatisfy { $0.2 <= 700 })
            // Plus the two statements of the clock and late entries (SampleProvenance, issue 16).
            let provenanceRows = try await db.query("SELECT count(*) FROM hours_entry WHERE source IN ('checkout', 'record')").single().decode(0, as: Int64.self)
            #expect(links.last?.1 == Int64((summary.entries + 699) / 700 + (summary.corrections + 699) / 700) + (provenanceRows > 0 ? 2 : 0))
            #expect(links.last?.3 == Int64(rows) + provenanceRows)
            #expect(try await db.query("SELECT count(*) FROM vl_audit_verify()").single().decode(0, as: Int64.self) == 0)
        }
    }
}
