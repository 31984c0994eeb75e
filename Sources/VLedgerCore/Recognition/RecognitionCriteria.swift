import Foundation
import PostgresLibPQ

/// The criteria of the recognition reports as the `setting` rows hold them (0171 checks their
/// form when they are set; the defaults are those of 0171).
public struct RecognitionCriteria: Sendable, Equatable {
    public struct Organisation: Sendable, Equatable {
        public var foundedYears: Int = 3
        public var projects: Int = 2
        public var members: Int = 20
        public var activeShare: Decimal = Decimal(string: "0.60")!
        public var text: String = "founded_years=3,projects=2,members=20,active_share=0.60"
    }

    public struct Community: Sendable, Equatable {
        public var volunteerShare: Decimal = Decimal(string: "0.10")!
        public var categories: Int = 3
        public var teams: Int = 2
        public var text: String = "volunteer_share=0.10,categories=3,teams=2"
    }

    public struct StarLevel: Sendable, Equatable {
        public var level: Int
        /// Members at this star level or above …
        public var star: Int
        /// … make at least this share of the members.
        public var share: Decimal
        public var projects: Int
        public var activities: Int
    }

    public var organisation = Organisation()
    public var community = Community()
    public var starLevels: [StarLevel] = RecognitionCriteria.starLevels("1:star1=0.10,projects=1,activities=12;2:star1=0.20,projects=2,activities=24;3:star2=0.20,projects=3,activities=48")!
    public var starLevelsText = "1:star1=0.10,projects=1,activities=12;2:star1=0.20,projects=2,activities=24;3:star2=0.20,projects=3,activities=48"
    public var starThresholdsHours: [Int] = Settings.defaults.starThresholdsHours

    /// `a=1,b=2` as pairs; nil when a part is not `key=value`.
    static func pairs(_ text: String) -> [String: String]? {
        var result: [String: String] = [:]
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else { return nil }
            result[kv[0]] = kv[1]
        }
        return result
    }

    static func starLevels(_ text: String) -> [StarLevel]? {
        var levels: [StarLevel] = []
        for part in text.split(separator: ";") {
            let head = part.split(separator: ":", maxSplits: 1)
            guard head.count == 2, let level = Int(head[0]), let values = pairs(String(head[1])),
                  let starKey = values.keys.first(where: { $0.hasPrefix("star") }), let star = Int(starKey.dropFirst(4)),
                  let share = values[starKey].flatMap(ExactDecimal.parse), let projects = values["projects"].flatMap({ Int($0) }),
                  let activities = values["activities"].flatMap({ Int($0) }) else { return nil }
            levels.append(StarLevel(level: level, star: star, share: share, projects: projects, activities: activities))
        }
        return levels.isEmpty ? nil : levels
    }

    public static func load(_ db: isolated Connection) throws -> RecognitionCriteria {
        var criteria = RecognitionCriteria()
        criteria.starThresholdsHours = try Settings.load(db).starThresholdsHours
        for row in try db.query("SELECT name, value FROM setting WHERE name LIKE 'recognition\\_%'") {
            let name: String = try row.decode(0)
            let value: String = try row.decode(1)
            switch name {
            case "recognition_org_criteria":
                if let p = pairs(value), let years = p["founded_years"].flatMap({ Int($0) }), let projects = p["projects"].flatMap({ Int($0) }),
                   let members = p["members"].flatMap({ Int($0) }), let share = p["active_share"].flatMap(ExactDecimal.parse) {
                    criteria.organisation = Organisation(foundedYears: years, projects: projects, members: members, activeShare: share, text: value)
                }
            case "recognition_community_criteria":
                if let p = pairs(value), let share = p["volunteer_share"].flatMap(ExactDecimal.parse),
                   let categories = p["categories"].flatMap({ Int($0) }), let teams = p["teams"].flatMap({ Int($0) }) {
                    criteria.community = Community(volunteerShare: share, categories: categories, teams: teams, text: value)
                }
            case "recognition_star_org_thresholds":
                if let levels = starLevels(value) {
                    criteria.starLevels = levels
                    criteria.starLevelsText = value
                }
            default: break
            }
        }
        return criteria
    }
}
