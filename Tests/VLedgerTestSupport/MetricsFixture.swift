import Foundation
import PostgresLibPQ

/// Writes ledger rows straight into the tables of 0001_core.sql for the metrics and statement
/// tests, keeping SPEC.md's rules (valid ID numbers, service inside the activity and while
/// registered, corrections copying their original), with explicit recorded times for replays.
/// Times are text with an offset, e.g. "2019-12-31 23:30+08".
public struct MetricsFixture: Sendable {
    public let db: Connection

    public init(_ db: Connection) {
        self.db = db
    }

    /// A valid 18-character ID number born on `birth` (YYYYMMDD) with sequence `sequence`.
    public static func idNumber(_ sequence: Int, birth: String = "19900101") -> String {
        let body = "210682" + birth + String(format: "%03d", sequence % 1000)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body.utf8, weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    public func district(_ code: String, _ name: String, builtUp: Bool = true, recordedAt: String = "2015-01-01 00:00+08") async throws {
        try await db.execute("""
            INSERT INTO district (code, name, built_up, recorded_at) VALUES (\(code), \(name), \(builtUp), \(recordedAt)::timestamptz)
            """)
    }

    public func population(_ code: String, year: Int, residents: Int, recordedAt: String = "2015-01-02 00:00+08") async throws {
        try await db.execute("""
            INSERT INTO population_revision (district_code, year, residents, source, recorded_at)
            VALUES (\(code), \(year), \(residents), 'test', \(recordedAt)::timestamptz)
            """)
    }

    /// Registers a volunteer (and the first district row); returns the volunteer id.
    @discardableResult
    public func volunteer(_ sequence: Int, district: String, registeredOn: String, name: String = "测试志愿者",
                          recordedAt: String? = nil) async throws -> Int64 {
        let recorded = recordedAt ?? (registeredOn + " 08:00+08")
        let id = try await db.query("""
            INSERT INTO volunteer (name, id_number, phone, registered_on, consent_recorded_at, recorded_at)
            VALUES (\(name), \(Self.idNumber(sequence)), '13800138000', \(registeredOn)::date, \(recorded)::timestamptz, \(recorded)::timestamptz)
            RETURNING id
            """).single().decode(0, as: Int64.self)
        try await db.execute("""
            INSERT INTO volunteer_district (volunteer_id, district_code, effective_from, recorded_at)
            VALUES (\(id), \(district), \(registeredOn)::date, \(recorded)::timestamptz)
            """)
        return id
    }

    public func move(_ volunteer: Int64, to district: String, on day: String, recordedAt: String? = nil) async throws {
        try await db.execute("""
            INSERT INTO volunteer_district (volunteer_id, district_code, effective_from, recorded_at)
            VALUES (\(volunteer), \(district), \(day)::date, \(recordedAt ?? (day + " 09:00+08"))::timestamptz)
            """)
    }

    public func deregister(_ volunteer: Int64, on day: String, recordedAt: String? = nil) async throws {
        try await db.execute("""
            INSERT INTO volunteer_deregistration (volunteer_id, effective_on, reason, recorded_at)
            VALUES (\(volunteer), \(day)::date, '本人申请注销', \(recordedAt ?? (day + " 09:00+08"))::timestamptz)
            """)
    }

    @discardableResult
    public func activity(district: String, starts: String, ends: String, title: String = "社区环境整治志愿服务") async throws -> Int64 {
        try await db.query("""
            INSERT INTO activity (title, district_code, organiser, starts_at, ends_at, recorded_at)
            VALUES (\(title), \(district), '凤凰城街道新时代文明实践站', \(starts)::timestamptz, \(ends)::timestamptz, \(starts)::timestamptz - interval '7 days')
            RETURNING id
            """).single().decode(0)
    }

    /// An original entry; recorded by default one hour after the service start.
    @discardableResult
    public func entry(_ volunteer: Int64, activity: Int64, start: String, minutes: Int, recordedAt: String? = nil) async throws -> Int64 {
        try await db.query("""
            INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, recorded_at)
            VALUES (\(volunteer), \(activity), \(start)::timestamptz, \(minutes),
                    coalesce(\(recordedAt)::timestamptz, \(start)::timestamptz + interval '1 hour' + make_interval(mins => \(minutes))))
            RETURNING id
            """).single().decode(0)
    }

    /// A correction of `original`, copying its volunteer, activity and service start.
    @discardableResult
    public func correct(_ original: Int64, delta: Int, reason: String = "签退时间更正", recordedAt: String? = nil) async throws -> Int64 {
        try await db.query("""
            INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, corrects_id, reason, source, recorded_at)
            SELECT volunteer_id, activity_id, service_start, \(delta), id, \(reason), 'correction',
                   coalesce(\(recordedAt)::timestamptz, recorded_at + interval '1 day')
              FROM hours_entry WHERE id = \(original)
            RETURNING id
            """).single().decode(0)
    }

    /// Approves an entry, by default one hour after it was recorded.
    public func approve(_ entry: Int64, at decidedAt: String? = nil) async throws {
        try await db.execute("""
            INSERT INTO hours_decision (entry_id, decision, decided_at)
            SELECT id, 'approved', coalesce(\(decidedAt)::timestamptz, recorded_at + interval '1 hour') FROM hours_entry WHERE id = \(entry)
            """)
    }

    public func reject(_ entry: Int64, reason: String = "未实际到岗", at decidedAt: String? = nil) async throws {
        try await db.execute("""
            INSERT INTO hours_decision (entry_id, decision, reason, decided_at)
            SELECT id, 'rejected', \(reason), coalesce(\(decidedAt)::timestamptz, recorded_at + interval '1 hour') FROM hours_entry WHERE id = \(entry)
            """)
    }

    /// An approved original entry.
    @discardableResult
    public func approvedEntry(_ volunteer: Int64, activity: Int64, start: String, minutes: Int) async throws -> Int64 {
        let id = try await entry(volunteer, activity: activity, start: start, minutes: minutes)
        try await approve(id)
        return id
    }
}
