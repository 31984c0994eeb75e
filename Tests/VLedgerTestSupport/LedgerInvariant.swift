import PostgresLibPQ

/// The ledger's invariant, computed independently of the rule functions it checks: for every
/// volunteer, each original's approved net (its minutes plus approved corrections once approved,
/// else 0) lies within 0 … its activity's length, its effective interval [start, start + net)
/// lies inside the activity, and no two effective intervals of the volunteer overlap.
public enum LedgerInvariant {
    public struct Violations: Sendable, Equatable, CustomStringConvertible {
        public let outOfBounds: Int
        public let overlaps: Int
        public var isEmpty: Bool { outOfBounds == 0 && overlaps == 0 }
        public var description: String { "\(outOfBounds) entries out of bounds, \(overlaps) overlapping pairs" }
    }

    /// Violations among the entries of `volunteer` (every volunteer when nil).
    public static func violations(_ db: Connection, volunteer: Int64? = nil) async throws -> Violations {
        let row = try await db.query("""
            WITH net AS (
                SELECT e.id, e.volunteer_id, e.activity_id, e.service_start,
                       CASE WHEN d.decision = 'approved'
                            THEN e.minutes + coalesce((SELECT sum(c.minutes) FROM hours_entry c
                                                        JOIN hours_decision cd ON cd.entry_id = c.id AND cd.decision = 'approved'
                                                       WHERE c.corrects_id = e.id), 0)
                            ELSE 0 END AS minutes
                FROM hours_entry e LEFT JOIN hours_decision d ON d.entry_id = e.id
                WHERE e.corrects_id IS NULL AND (\(volunteer)::bigint IS NULL OR e.volunteer_id = \(volunteer)::bigint)
            ), span AS (
                SELECT n.*, tstzrange(n.service_start, n.service_start + n.minutes * interval '1 minute') AS interval
                FROM net n
            )
            SELECT (SELECT count(*) FROM span s JOIN activity a ON a.id = s.activity_id
                     WHERE s.minutes < 0 OR s.minutes > a.length_minutes
                        OR (s.minutes > 0 AND (s.service_start < a.starts_at OR upper(s.interval) > a.ends_at)))::int,
                   (SELECT count(*) FROM span x JOIN span y
                        ON x.volunteer_id = y.volunteer_id AND x.id < y.id AND x.minutes > 0 AND y.minutes > 0
                       AND x.interval && y.interval)::int
            """).single()
        return Violations(outOfBounds: try row.decode(0), overlaps: try row.decode(1))
    }
}

extension LedgerFixtures {
    /// `count` volunteers registered on 2019-01-01 in 210682001, in one statement.
    public static func volunteers(_ db: Connection, count: Int) async throws -> [LedgerFixtures.Volunteer] {
        try await LedgerFixtures.district(db)
        let ids = (1...count).map { LedgerFixtures.idNumber(10_000 + $0) }
        let rows = try await db.query("""
            WITH v AS (
                INSERT INTO volunteer (name, id_number, phone, registered_on)
                SELECT '王五', x, '13800000000', '2019-01-01' FROM unnest(\(ids)::text[]) AS x
                RETURNING id, number, id_number
            ), d AS (
                INSERT INTO volunteer_district (volunteer_id, district_code, effective_from)
                SELECT id, '210682001', '2019-01-01' FROM v
            )
            SELECT id, number, id_number FROM v ORDER BY id
            """)
        return try rows.map { LedgerFixtures.Volunteer(id: try $0.decode(0), number: try $0.decode(1), idNumber: try $0.decode(2)) }
    }
}
