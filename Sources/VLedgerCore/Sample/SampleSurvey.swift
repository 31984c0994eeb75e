import PostgresLibPQ

/// The sample city's support-rate survey (issue 16 §4): per year, a household wave in June in
/// every built-up district and a phone or online wave in October in every district, 300–600
/// answers each, 85–97 % supportive, so some districts meet 90 % and some meet it only by their
/// share, not by their interval. A stream of its own, derived from the seed, so nothing else of
/// the city changes; waves not yet recorded by today are left out.
enum SampleSurvey {
    static func write(_ city: SampleCity, on db: isolated Connection) throws {
        var random = SplitMix64(seed: city.options.seed ^ 0x5E7F_0016_0004_2025)
        let today = try Settings.today(timeZone: try Settings.load(db).timeZone, on: db)
        var rows: [(CalendarDate, String, String, Int, Int, String)] = []
        for year in city.options.firstYear...city.options.lastYear {
            for district in city.districts {
                var waves: [(CalendarDate, String)] = []
                if district.builtUp { waves.append((CalendarDate(year: year, month: 6, day: 5 + random.below(20))!, "household")) }
                waves.append((CalendarDate(year: year, month: 10, day: 8 + random.below(18))!, random.chance(permille: 500) ? "phone" : "online"))
                for (day, method) in waves {
                    let sample = random.between(300...600)
                    let supportive = sample * random.between(850...970) / 1000
                    guard day.adding(days: 1) < today else { continue }
                    rows.append((day, method, district.code, sample, supportive, SampleCity.localText(day.adding(days: 1).daysSinceEpoch * 1440 + 10 * 60)))
                }
            }
        }
        try db.copyIn("COPY survey_wave (surveyed_on, method, district_code, sample_size, supportive, surveyor, recorded_at) FROM STDIN") { writer in
            for row in rows {
                try writer.write([row.0.description, row.1, row.2, String(row.3), String(row.4), "凤城市统计调查中心", row.5])
            }
        }
        try writeAnswers(city, on: db)
    }

    /// The June household waves of the first built-up district come as individual answers too
    /// (0260): one questionnaire per citizen asked, the supportive ones spread by a stream of
    /// their own, so the waves themselves stay as they were.
    static func writeAnswers(_ city: SampleCity, on db: isolated Connection) throws {
        guard let district = city.districts.first(where: \.builtUp) else { return }
        var random = SplitMix64(seed: city.options.seed ^ 0x5E7F_0016_0004_A115)
        let waves = try db.query("""
            SELECT id, sample_size, supportive, extract(year FROM surveyed_on)::int, recorded_at::text FROM survey_wave
             WHERE district_code = \(district.code) AND method = 'household' ORDER BY surveyed_on
            """)
        try db.copyIn("COPY survey_response (wave_id, ordinal, supportive, respondent, recorded_at) FROM STDIN") { writer in
            for wave in waves {
                let (id, sample, supportive): (Int64, Int, Int) = (try wave.decode(0), try wave.decode(1), try wave.decode(2))
                let year: Int = try wave.decode(3)
                let recordedAt: String = try wave.decode(4)
                // A shuffle of the answers: the first `supportive` places of it are supportive.
                var order = Array(0..<sample)
                for i in stride(from: sample - 1, to: 0, by: -1) { order.swapAt(i, random.below(i + 1)) }
                var yes = [Bool](repeating: false, count: sample)
                for place in order.prefix(supportive) { yes[place] = true }
                for ordinal in 0..<sample {
                    try writer.write([String(id), String(ordinal + 1), yes[ordinal] ? "t" : "f",
                                      "Q\(year)-\(district.code.suffix(3))-" + String(format: "%04d", ordinal + 1), recordedAt])
                }
            }
        }
    }
}
