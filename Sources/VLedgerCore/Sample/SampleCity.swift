import Foundation
import PostgresLibPQ

/// What `vledger sample` generates.
public struct SampleOptions: Sendable, Equatable {
    public var volunteers: Int
    /// Original hours entries (corrections come on top, about 2 %).
    public var entries: Int
    public var seed: UInt64
    /// Calendar years with activities and hours, ending with `lastYear`.
    public var years: Int
    public var districts: Int
    /// The last year with data; every date and time generated lies on or before its 31 December.
    public var lastYear: Int

    public init(volunteers: Int = 20_000, entries: Int = 300_000, seed: UInt64 = 1, years: Int = 3, districts: Int = 30, lastYear: Int) throws {
        guard (1...10_000_000).contains(volunteers) else {
            throw RuleViolation(field: "volunteers", value: String(volunteers), code: "range", args: ["min": "1", "max": "10000000"])
        }
        guard (0...300_000_000).contains(entries) else {
            throw RuleViolation(field: "entries", value: String(entries), code: "range", args: ["min": "0", "max": "300000000"])
        }
        guard (1...10).contains(years) else {
            throw RuleViolation(field: "years", value: String(years), code: "range", args: ["min": "1", "max": "10"])
        }
        guard (1...999).contains(districts) else {
            throw RuleViolation(field: "districts", value: String(districts), code: "range", args: ["min": "1", "max": "999"])
        }
        guard (1960...9998).contains(lastYear) else {
            throw RuleViolation(field: "last-year", value: String(lastYear), code: "year_range", args: ["min": "1960", "max": "9998"])
        }
        self.volunteers = volunteers
        self.entries = entries
        self.seed = seed
        self.years = years
        self.districts = districts
        self.lastYear = lastYear
    }

    public var firstYear: Int { lastYear - years + 1 }
    /// Volunteers registered from two years before the first year with hours.
    var firstRegistrationYear: Int { firstYear - 2 }
}

/// A generated city: districts, populations, volunteers with moves and deregistrations, and
/// activities. Hours entries are generated while they are loaded (see SampleLoader), from the
/// same seed. Times are local wall-clock minutes since 1970-01-01 00:00 in the city's zone.
struct SampleCity {
    struct District {
        var code: String
        var name: String
        var builtUp: Bool
        var weight: Int
        var registrationFactor: Int
        var participationPermille: Int
        var intensity: Int
        var recordedMinute: Int
    }

    struct Population {
        var district: Int
        var year: Int
        var residents: Int
        var source: String
        var recordedMinute: Int
    }

    struct Volunteer {
        var name: String
        var idNumber: String
        var phone: String
        var registeredDay: Int
        var recordedMinute: Int
        var district: Int
        var move: (day: Int, district: Int, recordedMinute: Int)?
        var deregistration: (day: Int, reason: Int, recordedMinute: Int)?
        /// Relative zeal, in percent.
        var rate: Int
    }

    struct Activity {
        var district: Int
        var kind: Int
        var organiser: Int
        var recordedMinute: Int
    }

    let options: SampleOptions
    var districts: [District] = []
    var populations: [Population] = []
    var volunteers: [Volunteer] = []
    /// Activities per (day, slot) of the years with hours; activity a sits in slot a / perSlot.
    var activities: [Activity] = []
    let perSlot: Int
    let firstDay: Int
    let lastDay: Int
    /// 31 December of the last year, 23:59: nothing is recorded later.
    var dataEnd: Int { lastDay * 1440 + 23 * 60 + 59 }
    var dayCount: Int { lastDay - firstDay + 1 }

    init(options: SampleOptions) {
        self.options = options
        firstDay = CalendarDate(year: options.firstYear, month: 1, day: 1)!.daysSinceEpoch
        lastDay = CalendarDate(year: options.lastYear, month: 12, day: 31)!.daysSinceEpoch
        let slotCount = (lastDay - firstDay + 1) * SampleVocabulary.slots.count
        // About 18 volunteers per activity.
        perSlot = max(1, (options.entries / 18 + slotCount - 1) / slotCount)
        var root = SplitMix64(seed: options.seed)
        var districtRandom = root.fork()
        var volunteerRandom = root.fork()
        var activityRandom = root.fork()
        makeDistricts(&districtRandom)
        makeVolunteers(&volunteerRandom)
        makeActivities(&activityRandom)
    }

    mutating func makeDistricts(_ random: inout SplitMix64) {
        let streets = (options.districts * 3 + 3) / 4
        // Recorded before the first registration, so a replay never sees a volunteer without their district.
        let recorded = CalendarDate(year: options.firstRegistrationYear - 1, month: 12, day: 1)!.daysSinceEpoch * 1440 + 9 * 60
        for index in 0..<options.districts {
            let builtUp = index < streets
            let names = builtUp ? SampleVocabulary.streets : SampleVocabulary.towns
            let position = builtUp ? index : index - streets
            var name = names[position % names.count]
            if position >= names.count { name = "第\(position / names.count + 1)" + name }
            districts.append(District(
                code: SampleVocabulary.cityRegion + String(format: "%03d", index + 1), name: name, builtUp: builtUp,
                weight: random.between(60...160), registrationFactor: random.between(70...135),
                participationPermille: random.between(560...930), intensity: random.between(70...165),
                recordedMinute: recorded + index))
        }
        // Residents chosen so that the city lands near the 13 % target, some districts above, some below.
        let totalWeight = districts.reduce(0) { $0 + $1.weight }
        for (index, district) in districts.enumerated() {
            let lastYearResidents = max(1, Int(Double(options.volunteers) / 0.128 * Double(district.weight) / Double(totalWeight)))
            for year in options.firstYear...options.lastYear {
                let residents = lastYearResidents * (1000 - 15 * (options.lastYear - year)) / 1000
                let january = CalendarDate(year: year, month: 1, day: 10)!.daysSinceEpoch * 1440 + 10 * 60
                populations.append(Population(district: index, year: year, residents: residents, source: "统计局年度常住人口公报", recordedMinute: january))
                if random.chance(permille: 120) {
                    let november = CalendarDate(year: year, month: 11, day: 20)!.daysSinceEpoch * 1440 + 10 * 60
                    populations.append(Population(
                        district: index, year: year, residents: residents * random.between(970...1030) / 1000,
                        source: "统计局修订数", recordedMinute: november))
                }
            }
        }
    }

    mutating func makeVolunteers(_ random: inout SplitMix64) {
        let firstRegistration = CalendarDate(year: options.firstRegistrationYear, month: 1, day: 1)!.daysSinceEpoch
        let span = lastDay - firstRegistration + 1
        // Districts drawn in proportion to residents × eagerness to register.
        var cumulative: [Int] = []
        var total = 0
        for district in districts {
            total += district.weight * district.registrationFactor
            cumulative.append(total)
        }
        var usedIDs = Set<String>()
        usedIDs.reserveCapacity(options.volunteers)
        volunteers.reserveCapacity(options.volunteers)
        for _ in 0..<options.volunteers {
            // More registrations in recent years.
            let registeredDay = firstRegistration + min(span - 1, Int(Double(span) * random.unit().squareRoot()))
            let draw = random.below(total)
            var district = 0
            while cumulative[district] <= draw { district += 1 }
            let registered = CalendarDate(daysSinceEpoch: registeredDay)
            var idNumber: String
            repeat {
                let age = random.between(18...68)
                let birth = CalendarDate(daysSinceEpoch: registered.adding(years: -age).daysSinceEpoch - random.below(365))
                idNumber = Self.idNumber(region: random.pick(SampleVocabulary.birthRegions), birth: birth, sequence: random.below(1000))
            } while !usedIDs.insert(idNumber).inserted
            let givenLength = random.chance(permille: 700) ? 2 : 1
            let name = random.pick(SampleVocabulary.surnames) + (0..<givenLength).map { _ in random.pick(SampleVocabulary.givenCharacters) }.joined()
            let phone = random.pick(SampleVocabulary.phonePrefixes) + String(format: "%08d", random.below(100_000_000))
            var volunteer = Volunteer(
                name: name, idNumber: idNumber, phone: phone, registeredDay: registeredDay,
                recordedMinute: registeredDay * 1440 + 8 * 60 + random.below(25), district: district,
                rate: random.between(30...90) + (random.chance(permille: 150) ? random.between(100...250) : 0))
            if random.chance(permille: 30), lastDay - registeredDay > 90 {
                let day = registeredDay + 60 + random.below(lastDay - registeredDay - 60)
                volunteer.deregistration = (day, random.below(SampleVocabulary.deregistrationReasons.count),
                                            min(dataEnd, day * 1440 + 10 * 60 + random.below(10 * 1440)))
            }
            if random.chance(permille: 50), lastDay - registeredDay > 60, districts.count > 1 {
                let day = registeredDay + 30 + random.below(lastDay - registeredDay - 30)
                let target = (district + 1 + random.below(districts.count - 1)) % districts.count
                if volunteer.deregistration.map({ day < $0.day }) ?? true {
                    volunteer.move = (day, target, min(dataEnd, day * 1440 + 10 * 60 + random.below(20 * 1440)))
                }
            }
            volunteers.append(volunteer)
        }
    }

    mutating func makeActivities(_ random: inout SplitMix64) {
        let count = dayCount * SampleVocabulary.slots.count * perSlot
        activities.reserveCapacity(count)
        for index in 0..<count {
            let slot = index / perSlot
            let start = (firstDay + slot / SampleVocabulary.slots.count) * 1440 + SampleVocabulary.slots[slot % SampleVocabulary.slots.count].start
            activities.append(Activity(
                district: random.below(districts.count), kind: random.below(SampleVocabulary.activities.count),
                organiser: random.below(SampleVocabulary.organiserSuffixes.count),
                recordedMinute: start - 1440 * random.between(1...14) - random.below(600)))
        }
    }

    func activityStart(_ index: Int) -> (minute: Int, length: Int) {
        let slot = index / perSlot
        let daily = SampleVocabulary.slots[slot % SampleVocabulary.slots.count]
        return ((firstDay + slot / SampleVocabulary.slots.count) * 1440 + daily.start, daily.length)
    }

    /// An 18-character resident ID number with its GB 11643-1999 check digit.
    static func idNumber(region: String, birth: CalendarDate, sequence: Int) -> String {
        let body = region + birth.description.replacingOccurrences(of: "-", with: "") + String(format: "%03d", sequence)
        let sum = zip(body.utf8, IDNumber.weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
        return body + String(IDNumber.checkCharacters[sum % 11])
    }

    /// `2025-03-04 08:30:00` for local wall-clock minutes.
    static func localText(_ minute: Int) -> String {
        let day = CalendarDate(daysSinceEpoch: minute >= 0 ? minute / 1440 : (minute - 1439) / 1440)
        let ofDay = minute - day.daysSinceEpoch * 1440
        return "\(day) \(two(ofDay / 60)):\(two(ofDay % 60)):00"
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
