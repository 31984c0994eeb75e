import PostgresLibPQ

/// The sample city's awards (表彰奖励) and evaluations (评价) (issue 16 §3), from a stream of
/// their own derived from the seed, so that everything else the city holds is as without them.
/// Every December some volunteers registered by then are named 优秀志愿者 by the office, and each
/// district's team evaluates a tenth of its volunteers, by grade or by score. A day after today
/// is left out (the database refuses a date in the future).
struct SampleRecognition {
    static let grades = ["excellent", "good", "good", "pass", "fail"]
    var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed ^ 0x16_03_A8A2_D5EE_2016)
    }

    mutating func write(_ city: SampleCity, volunteerBase: Int64, on db: isolated Connection) throws {
        let today = try Settings.today(timeZone: try Settings.load(db).timeZone, on: db)
        let years = Array(city.options.firstYear...city.options.lastYear)
        func serving(_ volunteer: SampleCity.Volunteer, on day: Int) -> Bool {
            volunteer.registeredDay <= day && (volunteer.deregistration?.day ?? Int.max) > day
        }
        try db.copyIn("COPY volunteer_award (volunteer_id, name, awarded_on, body, recorded_at) FROM STDIN") { writer in
            for year in years {
                let date = CalendarDate(year: year, month: 12, day: 5)!
                guard date <= today else { continue }
                for (index, volunteer) in city.volunteers.enumerated() where serving(volunteer, on: date.daysSinceEpoch) && random.chance(permille: 15) {
                    try writer.write([String(volunteerBase + Int64(index)), "\(year) 年度凤城市优秀志愿者", date.description,
                                      "凤城市精神文明建设指导委员会办公室", "\(date) 16:00:00"])
                }
            }
        }
        try db.copyIn("COPY volunteer_evaluation (volunteer_id, evaluated_on, score, grade, evaluator, recorded_at) FROM STDIN") { writer in
            for year in years {
                let date = CalendarDate(year: year, month: 11, day: 20)!
                guard date <= today else { continue }
                for (index, volunteer) in city.volunteers.enumerated() where serving(volunteer, on: date.daysSinceEpoch) && random.chance(permille: 100) {
                    let byScore = random.chance(permille: 400)
                    let score = byScore ? String(60 + random.below(41)) : nil
                    let grade = byScore ? nil : Self.grades[random.below(Self.grades.count)]
                    try writer.write([String(volunteerBase + Int64(index)), date.description, score, grade,
                                      city.districts[volunteer.district].name + "志愿服务队", "\(date) 17:00:00"])
                }
            }
        }
    }
}
