import PostgresLibPQ

/// Deployment settings kept in the `setting` table (see db/migrations/0001_core.sql).
public struct Settings: Sendable, Equatable {
    public var timeZone: String
    public var minimumAge: Int
    /// Cumulative approved hours for star levels 1…5.
    public var starThresholdsHours: [Int]
    public var dailyHoursLimit: Int

    public static let defaults = Settings(
        timeZone: "Asia/Shanghai", minimumAge: 14, starThresholdsHours: [100, 300, 600, 1000, 1500], dailyHoursLimit: 12)

    public static func load(_ db: isolated Connection) throws -> Settings {
        var settings = Settings.defaults
        for row in try db.query("SELECT name, value FROM setting") {
            let name: String = try row.decode(0)
            let value: String = try row.decode(1)
            switch name {
            case "time_zone": settings.timeZone = value
            case "minimum_age": settings.minimumAge = Int(value) ?? settings.minimumAge
            case "star_thresholds_hours":
                let values = value.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                if !values.isEmpty { settings.starThresholdsHours = values }
            case "daily_hours_limit": settings.dailyHoursLimit = Int(value) ?? settings.dailyHoursLimit
            default: break
            }
        }
        return settings
    }

    /// Today's date in the city's time zone, from the database clock.
    public static func today(timeZone: String, on db: isolated Connection) throws -> CalendarDate {
        try db.query("SELECT (now() AT TIME ZONE \(timeZone))::date").single().decode(0)
    }
}
