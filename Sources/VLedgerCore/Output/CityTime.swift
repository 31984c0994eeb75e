import Foundation
import PostgresLibPQ

/// Instants as people (and the JSON) read them: ISO 8601 in the city's time zone with its offset,
/// `2019-12-31T23:30:00+08:00`, like the ledger's own times (`vl_local_text`).
public enum CityTime {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var zone = TimeZone(identifier: Settings.defaults.timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)!

    public static var timeZone: TimeZone {
        lock.lock(); defer { lock.unlock() }
        return zone
    }

    public static func set(_ identifier: String) {
        guard let found = TimeZone(identifier: identifier) else { return }
        lock.lock(); defer { lock.unlock() }
        zone = found
    }

    /// Reads the setting `time_zone` (done when a connection opens).
    public static func apply(on db: isolated Connection) {
        guard let row = try? db.query("SELECT value FROM setting WHERE name = 'time_zone'").first,
              let value = try? row.decode(0, as: String.self) else { return }
        set(value)
    }

    public static func text(_ date: Date, in zone: TimeZone = timeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = zone
        return formatter.string(from: date)
    }
}

extension Connection {
    public func applyCityTimeZone() {
        CityTime.apply(on: self)
    }
}
