import Foundation
import PostgresLibPQ

/// What the statement-level audit costs a bulk load of hours: the same rows loaded into
/// hours_entry (same constraints, indexes and foreign keys) with the audit triggers disabled and
/// enabled, by COPY and by INSERT … SELECT. Everything happens in one transaction that is rolled
/// back, so the database is left as it was. Needs the table owner (ALTER TABLE … DISABLE TRIGGER)
/// and holds hours_entry locked while it runs: use a copy of the data or a quiet hour.
public enum AuditBenchmark {
    public struct Timing: Sendable {
        public let plain: Double
        public let audited: Double
        public var ratio: Double { audited / plain }
    }

    public struct Result: Sendable {
        public let rows: Int
        public let rounds: Int
        public let copy: Timing
        public let insertSelect: Timing
    }

    struct Rollback: Error {}

    public static func run(rows: Int, rounds: Int = 3, progress: @Sendable (String) -> Void, on db: isolated Connection) throws -> Result {
        let activities = 100
        let volunteers = max(1, (rows + activities - 1) / activities)
        try db.execute("BEGIN")
        defer { _ = try? db.execute("ROLLBACK") }
        progress("creating \(volunteers) volunteers and \(activities) activities (rolled back at the end)")
        try db.executeScript(unsafeSQL: """
            CREATE FUNCTION pg_temp.bench_id(p_seq int) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
            DECLARE base text := '650199' || to_char(date '1950-01-01' + (p_seq % 18000), 'YYYYMMDD') || lpad((p_seq / 18000 % 1000)::text, 3, '0');
                    weights int[] := ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]; total int := 0;
            BEGIN FOR i IN 1..17 LOOP total := total + substr(base, i, 1)::int * weights[i]; END LOOP;
                  RETURN base || substr('10X98765432', total % 11 + 1, 1); END $$;
            INSERT INTO district (code, name) VALUES ('650199', 'vledger bench') ON CONFLICT DO NOTHING;
            CREATE TEMP TABLE bench_volunteer ON COMMIT DROP AS SELECT 0::bigint AS id WHERE false;
            CREATE TEMP TABLE bench_activity ON COMMIT DROP AS SELECT 0::bigint AS id, now() AS starts_at WHERE false;
            """)
        try db.execute("""
            WITH v AS (
                INSERT INTO volunteer (name, id_number, phone, registered_on)
                SELECT 'bench ' || g, pg_temp.bench_id(g), '13900000000', '2000-01-01' FROM generate_series(1, \(volunteers)) g
                RETURNING id
            ) INSERT INTO bench_volunteer SELECT id FROM v
            """)
        try db.execute("INSERT INTO volunteer_district (volunteer_id, district_code, effective_from) SELECT id, '650199', '2000-01-01' FROM bench_volunteer")
        try db.execute("""
            WITH a AS (
                INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                SELECT 'bench ' || g, '650199', 'bench', timestamptz '2001-01-01 08:00+08' + g * interval '1 day',
                       timestamptz '2001-01-01 12:00+08' + g * interval '1 day'
                FROM generate_series(1, \(activities)) g
                RETURNING id, starts_at
            ) INSERT INTO bench_activity SELECT id, starts_at FROM a
            """)
        try db.execute("""
            CREATE TEMP TABLE bench_rows ON COMMIT DROP AS
            SELECT v.id AS volunteer_id, a.id AS activity_id, a.starts_at AS service_start, 60 + (v.id % 120)::int AS minutes
            FROM bench_volunteer v CROSS JOIN bench_activity a
            LIMIT \(rows)
            """)
        try db.execute("ANALYZE bench_rows")
        let lines: [[String?]] = try db.query("SELECT volunteer_id, activity_id, service_start, minutes FROM bench_rows").map { row in
            [row.text(0), row.text(1), row.text(2), row.text(3), "import"]
        }

        // A checkpoint before each load, so that one load's dirty pages are not written during the next.
        let mayCheckpoint = try db.query(
            "SELECT rolsuper OR pg_has_role(current_user, 'pg_checkpoint', 'MEMBER') FROM pg_roles WHERE rolname = current_user"
        ).single().decode(0, as: Bool.self)
        func timed(audited: Bool, _ body: () throws -> Void) throws -> Double {
            try db.execute("SAVEPOINT bench")
            if !audited {
                try db.execute("ALTER TABLE hours_entry DISABLE TRIGGER vl_audit_actor")
                try db.execute("ALTER TABLE hours_entry DISABLE TRIGGER zz_vl_audit_insert")
            }
            if mayCheckpoint { try db.execute("CHECKPOINT") }
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            try db.execute("ROLLBACK TO SAVEPOINT bench")
            return seconds
        }
        func copy() throws {
            try db.copyIn("COPY hours_entry (volunteer_id, activity_id, service_start, minutes, source) FROM STDIN") { writer in
                for line in lines { try writer.write(line) }
            }
        }
        func insertSelect() throws {
            try db.execute("INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, source) SELECT volunteer_id, activity_id, service_start, minutes, 'import' FROM bench_rows")
        }
        // Alternating rounds, best of each: on a shared machine the fastest run is the one least
        // disturbed by others, and alternating spreads any slow spell over both sides.
        var best = (copyPlain: Double.infinity, copyAudited: Double.infinity, insertPlain: Double.infinity, insertAudited: Double.infinity)
        for round in 1...rounds {
            progress("round \(round)/\(rounds): COPY \(rows) rows, audit off, then on")
            best.copyPlain = min(best.copyPlain, try timed(audited: false, copy))
            best.copyAudited = min(best.copyAudited, try timed(audited: true, copy))
            progress("round \(round)/\(rounds): INSERT … SELECT \(rows) rows, audit off, then on")
            best.insertPlain = min(best.insertPlain, try timed(audited: false, insertSelect))
            best.insertAudited = min(best.insertAudited, try timed(audited: true, insertSelect))
        }
        return Result(rows: lines.count, rounds: rounds, copy: Timing(plain: best.copyPlain, audited: best.copyAudited),
                      insertSelect: Timing(plain: best.insertPlain, audited: best.insertAudited))
    }
}
