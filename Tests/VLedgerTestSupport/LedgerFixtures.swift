import Foundation
import PostgresLibPQ

/// Districts, volunteers and activities for ledger tests, written with plain parameterised SQL
/// (not through the registry's code, which is built on another branch).
public enum LedgerFixtures {
    public struct Volunteer: Sendable {
        public let id: Int64
        public let number: String
        public let idNumber: String
    }

    /// A valid 18-character resident ID number (GB 11643-1999 check digit) for sequence `n`.
    public static func idNumber(_ n: Int, birth: String = "19800101") -> String {
        let seq = String(n % 1000)
        let region = 110_105 + n / 1000
        let body = "\(region)\(birth)" + String(repeating: "0", count: 3 - seq.count) + seq
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    public static func district(_ db: Connection, code: String = "210682001", name: String = "凤凰城街道") async throws {
        try await db.execute("INSERT INTO district (code, name, built_up) VALUES (\(code), \(name), true) ON CONFLICT DO NOTHING")
    }

    /// A volunteer registered on `registeredOn` in `district` (the registration row of
    /// volunteer_district has effective_from = registered_on).
    public static func volunteer(
        _ db: Connection, registeredOn: String = "2019-01-01", district: String = "210682001", name: String = "张三"
    ) async throws -> Volunteer {
        try await Self.district(db, code: district)
        let n: Int = try await db.query("SELECT count(*) + 1 FROM volunteer").single().decode(0)
        let id = idNumber(n)
        let row = try await db.query("""
            INSERT INTO volunteer (name, id_number, phone, registered_on) VALUES (\(name), \(id), '13800000000', \(registeredOn)::date)
            RETURNING id, number
            """).single()
        let volunteerID: Int64 = try row.decode(0)
        try await db.execute("""
            INSERT INTO volunteer_district (volunteer_id, district_code, effective_from) VALUES (\(volunteerID), \(district), \(registeredOn)::date)
            """)
        return Volunteer(id: volunteerID, number: try row.decode(1), idNumber: id)
    }

    public static func deregister(_ db: Connection, _ volunteer: Volunteer, on date: String) async throws {
        try await db.execute("""
            INSERT INTO volunteer_deregistration (volunteer_id, effective_on, reason) VALUES (\(volunteer.id), \(date)::date, 'moved away')
            """)
    }

    /// An activity from `starts` to `ends` (timestamptz text, e.g. "2019-03-01 09:00+08").
    public static func activity(
        _ db: Connection, starts: String = "2019-03-01 09:00+08", ends: String = "2019-03-01 12:00+08", district: String = "210682001"
    ) async throws -> Int64 {
        try await Self.district(db, code: district)
        return try await db.query("""
            INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
            VALUES ('社区清扫', \(district), '李组织', \(starts)::timestamptz, \(ends)::timestamptz) RETURNING id
            """).single().decode(0)
    }

    /// An activity around the present moment: started `startedMinutesAgo` ago, ending in `endsInMinutes`.
    public static func currentActivity(_ db: Connection, startedMinutesAgo: Int, endsInMinutes: Int) async throws -> Int64 {
        try await Self.district(db)
        return try await db.query("""
            INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
            VALUES ('今日活动', '210682001', '李组织', date_trunc('minute', now()) - \(startedMinutesAgo) * interval '1 minute',
                    date_trunc('minute', now()) + \(endsInMinutes) * interval '1 minute') RETURNING id
            """).single().decode(0)
    }

    public static func count(_ db: Connection, _ table: String) async throws -> Int {
        try await db.query("SELECT count(*) FROM \(unsafeRaw: table)").single().decode(0)
    }
}
