import PostgresLibPQ

/// Hours entries of the sample city: each volunteer serves in some years, at most once per
/// activity slot (slots of a day never overlap), inside the activity, only while registered;
/// most entries are approved, recent ones often pending, a few rejected with a reason, and a few
/// approved ones corrected (to zero, down, or up within the activity's length).
struct SampleHours {
    enum Decision {
        case pending
        case approved(minute: Int)
        case rejected(minute: Int, reason: Int)
    }

    struct Entry {
        var volunteer: Int32
        var activity: Int32
        var start: Int
        var minutes: Int16
        var recordedMinute: Int
        var decision: Decision
    }

    struct Correction {
        var original: Int
        var delta: Int
        var reason: String
        var recordedMinute: Int
        var decision: Decision
    }

    let city: SampleCity
    var originals: [Entry] = []
    var corrections: [Correction] = []

    init(city: SampleCity) {
        self.city = city
    }

    /// Generates every original entry in volunteer order, handing each to `emit` as it is made.
    mutating func generate(_ emit: (Entry) throws -> Void) rethrows {
        let options = city.options
        var random = SplitMix64(seed: options.seed ^ 0x5EED_0F_0BB5)
        let years = Array(options.firstYear...options.lastYear)
        // How much each volunteer serves each year, before scaling to the requested total.
        var mass = [Double](repeating: 0, count: city.volunteers.count * years.count)
        var total = 0.0
        for (v, volunteer) in city.volunteers.enumerated() {
            let district = city.districts[volunteer.district]
            for (y, year) in years.enumerated() {
                guard let days = eligibleDays(volunteer, year: year), random.chance(permille: district.participationPermille) else { continue }
                let weight = Double(volunteer.rate * district.intensity) * (1.0 + 0.3 * Double(y)) * Double(days.count) / 365.0
                mass[v * years.count + y] = weight
                total += weight
            }
        }
        let scale = total > 0 ? Double(options.entries) / total : 0
        originals.reserveCapacity(options.entries + options.entries / 50)
        let slotsPerDay = SampleVocabulary.slots.count
        for (v, volunteer) in city.volunteers.enumerated() {
            for (y, year) in years.enumerated() {
                let expected = mass[v * years.count + y] * scale
                guard expected > 0, let days = eligibleDays(volunteer, year: year) else { continue }
                var count = Int(expected)
                if random.unit() < expected - Double(count) { count += 1 }
                let available = days.count * slotsPerDay
                count = min(count, available)
                guard count > 0 else { continue }
                for choice in Self.distinct(count, of: available, &random) {
                    let day = days.lowerBound + choice / slotsPerDay
                    let slot = (day - city.firstDay) * slotsPerDay + choice % slotsPerDay
                    let activity = slot * city.perSlot + random.below(city.perSlot)
                    let (activityStart, length) = city.activityStart(activity)
                    let offset = random.chance(permille: 200) ? 30 : 0
                    let minutes = length - offset - 15 * random.below(5)
                    let start = activityStart + offset
                    let recorded = min(city.dataEnd, start + minutes + random.below(3 * 1440))
                    let decision: Decision
                    let pendingPermille = day > city.lastDay - 45 ? 300 : 8
                    let roll = random.below(1000)
                    if roll < pendingPermille {
                        decision = .pending
                    } else if roll < pendingPermille + 30 {
                        decision = .rejected(minute: min(city.dataEnd, recorded + 60 + random.below(7 * 1440)),
                                             reason: random.below(SampleVocabulary.rejectionReasons.count))
                    } else {
                        decision = .approved(minute: min(city.dataEnd, recorded + 60 + random.below(7 * 1440)))
                    }
                    let entry = Entry(volunteer: Int32(v), activity: Int32(activity), start: start, minutes: Int16(minutes),
                                      recordedMinute: recorded, decision: decision)
                    if case .approved(let decided) = decision, random.chance(permille: 20) {
                        corrections.append(correction(of: originals.count, entry, room: length - offset - minutes, decided: decided, &random))
                    }
                    originals.append(entry)
                    try emit(entry)
                }
            }
        }
    }

    func correction(of index: Int, _ entry: Entry, room: Int, decided: Int, _ random: inout SplitMix64) -> Correction {
        let delta: Int
        let reason: String
        switch random.below(3) {
        case 0:
            delta = -Int(entry.minutes)
            reason = SampleVocabulary.correctionToZero
        case 2 where room >= 15:
            delta = 15 * (1 + random.below(room / 15))
            reason = SampleVocabulary.correctionUp
        default:
            delta = -15 * (1 + random.below(4))
            reason = SampleVocabulary.correctionDown
        }
        let recorded = min(city.dataEnd, decided + 1440 + random.below(20 * 1440))
        let decision: Decision = random.chance(permille: 850)
            ? .approved(minute: min(city.dataEnd, recorded + 60 + random.below(5 * 1440))) : .pending
        return Correction(original: index, delta: delta, reason: reason, recordedMinute: recorded, decision: decision)
    }

    /// Days of `year` on which the volunteer is registered and not yet deregistered.
    func eligibleDays(_ volunteer: SampleCity.Volunteer, year: Int) -> ClosedRange<Int>? {
        let first = max(CalendarDate(year: year, month: 1, day: 1)!.daysSinceEpoch, volunteer.registeredDay)
        var last = CalendarDate(year: year, month: 12, day: 31)!.daysSinceEpoch
        if let leaving = volunteer.deregistration { last = min(last, leaving.day - 1) }
        return first <= last ? first...last : nil
    }

    /// `count` distinct numbers from 0..<n, in increasing order.
    static func distinct(_ count: Int, of n: Int, _ random: inout SplitMix64) -> [Int] {
        if count * 3 >= n {
            var all = Array(0..<n)
            for i in 0..<count { all.swapAt(i, i + random.below(n - i)) }
            return all.prefix(count).sorted()
        }
        var chosen = Set<Int>()
        while chosen.count < count { chosen.insert(random.below(n)) }
        return chosen.sorted()
    }
}
