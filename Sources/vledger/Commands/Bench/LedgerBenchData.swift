import Foundation
import PostgresLibPQ
import VLedgerCore

/// Generated city data for the ledger benchmarks: valid ID numbers, volunteers registered well
/// before every activity, activities three hours apart (two hours long) ending in the past.
enum LedgerBenchData {
    static let district = BenchDistricts.codes[0]

    static func idNumber(_ n: Int) -> String {
        // Birth dates from 1970 on, a thousand sequence numbers per day.
        let birth = CalendarDate(year: 1970, month: 1, day: 1)!.adding(days: n / 1000)
        let seq = n % 1000
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        let body = "110105" + pad(birth.year, 4) + pad(birth.month, 2) + pad(birth.day, 2) + pad(seq, 3)
        return body + String(IDNumber.checkCharacter(for: Array(body)))
    }

    /// Loads volunteers (with their registration district row) and activities by COPY.
    /// Returns the first activity's start.
    @discardableResult
    static func load(volunteers: Int, activities: Int, base: Date, activitySeconds: Double = 7200,
                     into db: Connection) async throws -> Date {
        try await db.withIsolated { db in
            try db.execute("INSERT INTO district (code, name, built_up) VALUES (\(district), '凤凰城街道', true) ON CONFLICT DO NOTHING")
            try db.copyIn("COPY volunteer (name, id_number, phone, registered_on) FROM STDIN") { writer in
                for n in 0..<volunteers {
                    try writer.write(["志愿者\(n)", idNumber(n), "138" + String(10_000_000 + n % 90_000_000), "2000-01-01"])
                }
            }
            try db.execute("""
                INSERT INTO volunteer_district (volunteer_id, district_code, effective_from)
                SELECT id, \(district), registered_on FROM volunteer
                """)
            try db.copyIn("COPY activity (title, district_code, organiser, starts_at, ends_at) FROM STDIN") { writer in
                for k in 0..<activities {
                    let start = activityStart(k, base: base)
                    try writer.write(["活动\(k)", district, "组织者", start.postgresText, start.addingTimeInterval(activitySeconds).postgresText])
                }
            }
            try db.execute("ANALYZE")
        }
        return base
    }

    static func activityStart(_ k: Int, base: Date) -> Date {
        base.addingTimeInterval(Double(k) * 3 * 3600)
    }

    /// A base so that the last activity ends more than a day ago, on a whole hour.
    static func base(activities: Int) -> Date {
        let seconds = Date().timeIntervalSince1970 - Double(activities) * 3 * 3600 - 2 * 86_400
        return Date(timeIntervalSince1970: (seconds / 3600).rounded(.down) * 3600)
    }

    /// `2019-03-01T09:00:00+08:00` for the city's default zone (UTC+8 all year in Shanghai).
    static func local(_ date: Date) -> String {
        let shifted = Int(date.timeIntervalSince1970) + 8 * 3600
        let day = CalendarDate(daysSinceEpoch: Int((Double(shifted) / 86_400).rounded(.down)))
        let second = ((shifted % 86_400) + 86_400) % 86_400
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(day)T\(pad(second / 3600)):\(pad(second / 60 % 60)):\(pad(second % 60))+08:00"
    }
}
