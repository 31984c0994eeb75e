import PostgresLibPQ

/// The sample city's organisations and teams (professional ones too), memberships, party members,
/// registration training and community projects (issue 15). Drawn from a stream of their own,
/// derived from the seed, so the volunteers, activities and hours (and every figure of the
/// default report) are exactly those of the city without them.
struct SampleOrgs {
    static let professionalFields = ["文化", "医疗卫生", "法律", "环保", "消防"]
    /// Activity categories of the vocabulary whose activities belong to the district's project.
    static let projectCategories: Set<String> = ["关爱老人", "社区服务"]

    var teamOfDistrict: [Int64] = []
    var professionalTeams: [Int64] = []
    var projectOfDistrict: [Int64] = []
    var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed ^ 0x0F15_0A6E_C0DE_2015)
    }

    /// Organisations and projects, before the activities that name them.
    mutating func writeOrganisations(_ city: SampleCity, on db: isolated Connection) throws {
        let founded = CalendarDate(year: city.options.firstRegistrationYear - 1, month: 12, day: 2)!
        let recorded = SampleCity.localText(founded.daysSinceEpoch * 1440 + 10 * 60)
        let home = city.districts[0].code
        let code = CreditCode.complete("51210682MJ" + String(format: "%07d", random.below(10_000_000)))
        let association = try db.query("""
            INSERT INTO organisation (name, kind, credit_code, district_code, founded_on, recorded_at)
            VALUES ('凤城市志愿者协会', 'registered', \(code), \(home), \(founded), \(recorded)::timestamp) RETURNING id
            """).single().decode(0, as: Int64.self)
        let base = try SampleLoader.nextIdentity("organisation", db)
        try db.copyIn("COPY organisation (name, kind, field, parent_id, district_code, founded_on, recorded_at) FROM STDIN") { writer in
            for district in city.districts {
                try writer.write([district.name + "志愿服务队", "team", nil, String(association), district.code, founded.description, recorded])
            }
            for field in Self.professionalFields {
                try writer.write(["凤城市" + field + "志愿服务队", "professional", field, String(association), home, founded.description, recorded])
            }
        }
        try SampleLoader.checkIdentities("organisation", base: base, count: city.districts.count + Self.professionalFields.count, db)
        teamOfDistrict = city.districts.indices.map { base + Int64($0) }
        professionalTeams = Self.professionalFields.indices.map { base + Int64(city.districts.count + $0) }

        let year = city.options.lastYear
        let projectBase = try SampleLoader.nextIdentity("community_project", db)
        try db.copyIn("""
            COPY community_project (name, plan, district_code, organisation_id, starts_on, ends_on, target_volunteers, target_minutes, recorded_at) FROM STDIN
            """) { writer in
            for (index, district) in city.districts.enumerated() {
                try writer.write([district.name + "关爱空巢老人与社区服务项目", "每周上门探访空巢老人，每月开展一次社区环境整治。", district.code,
                                  String(teamOfDistrict[index]), "\(year)-01-01", "\(year)-12-31", String(10 + random.below(30)),
                                  String((100 + random.below(400)) * 60), "\(year - 1)-12-20 10:00:00"])
            }
        }
        try SampleLoader.checkIdentities("community_project", base: projectBase, count: city.districts.count, db)
        projectOfDistrict = city.districts.indices.map { projectBase + Int64($0) }
    }

    /// The organisation and project of an activity: the district's team runs the activities its
    /// organiser name says are the team's; the project holds the last year's activities of its kinds.
    func grouping(of activity: SampleCity.Activity, startMinute: Int, city: SampleCity) -> (organisation: String?, project: String?) {
        let team = SampleVocabulary.organiserSuffixes[activity.organiser] == "志愿服务队" ? String(teamOfDistrict[activity.district]) : nil
        let year = CalendarDate(daysSinceEpoch: startMinute / 1440).year
        let inProject = year == city.options.lastYear && Self.projectCategories.contains(SampleVocabulary.activities[activity.kind].0)
        return (team, inProject ? String(projectOfDistrict[activity.district]) : nil)
    }

    /// Memberships (and leaving with the register), party members and training, after the volunteers.
    mutating func writePeople(_ city: SampleCity, volunteerBase: Int64, on db: isolated Connection) throws {
        var joins: [(organisation: Int64, volunteer: Int, day: Int, leaves: Int?, leaveMinute: Int)] = []
        for (index, volunteer) in city.volunteers.enumerated() {
            let end = volunteer.deregistration?.day ?? (city.lastDay + 1)
            let day = volunteer.registeredDay + random.below(60)
            if random.chance(permille: 600), day < end, day <= city.lastDay {
                joins.append((teamOfDistrict[volunteer.district], index, day, volunteer.deregistration?.day, volunteer.deregistration?.recordedMinute ?? 0))
            }
            let other = volunteer.registeredDay + random.below(365)
            if random.chance(permille: 80), other < end, other <= city.lastDay {
                joins.append((professionalTeams[random.below(professionalTeams.count)], index, other, volunteer.deregistration?.day,
                              volunteer.deregistration?.recordedMinute ?? 0))
            }
        }
        let membershipBase = try SampleLoader.nextIdentity("organisation_membership", db)
        try db.copyIn("COPY organisation_membership (organisation_id, volunteer_id, joined_on, recorded_at) FROM STDIN") { writer in
            for join in joins {
                try writer.write([String(join.organisation), String(volunteerBase + Int64(join.volunteer)), CalendarDate(daysSinceEpoch: join.day).description,
                                  SampleCity.localText(join.day * 1440 + 10 * 60)])
            }
        }
        try SampleLoader.checkIdentities("organisation_membership", base: membershipBase, count: joins.count, db)
        try db.copyIn("COPY organisation_leave (membership_id, left_on, recorded_at) FROM STDIN") { writer in
            for (offset, join) in joins.enumerated() {
                guard let leaves = join.leaves else { continue }
                try writer.write([String(membershipBase + Int64(offset)), CalendarDate(daysSinceEpoch: leaves).description, SampleCity.localText(join.leaveMinute)])
            }
        }
        try db.copyIn("COPY volunteer_party_status (volunteer_id, party_member, effective_on, recorded_at) FROM STDIN") { writer in
            for (index, volunteer) in city.volunteers.enumerated() where random.chance(permille: 90) {
                try writer.write([String(volunteerBase + Int64(index)), "t", CalendarDate(daysSinceEpoch: volunteer.registeredDay).description,
                                  SampleCity.localText(volunteer.recordedMinute)])
            }
        }
        try writeTraining(city, volunteerBase: volunteerBase, on: db)
    }

    /// Each district's team holds a registration course every March; a quarter of its volunteers
    /// attend, half of them with a certificate valid for two years.
    mutating func writeTraining(_ city: SampleCity, volunteerBase: Int64, on db: isolated Connection) throws {
        let years = Array(city.options.firstYear...city.options.lastYear)
        let courseBase = try SampleLoader.nextIdentity("training_course", db)
        try db.copyIn("COPY training_course (name, content, study_minutes, organiser, organisation_id, held_on, recorded_at) FROM STDIN") { writer in
            for year in years {
                for (index, district) in city.districts.enumerated() {
                    try writer.write(["\(year) 年志愿者注册培训", "志愿服务理念、礼仪与安全；服务时长记录规则", "120", district.name + "志愿服务队",
                                      String(teamOfDistrict[index]), "\(year)-03-15", "\(year)-03-15 17:00:00"])
                }
            }
        }
        try SampleLoader.checkIdentities("training_course", base: courseBase, count: years.count * city.districts.count, db)
        try db.copyIn("COPY training_attendance (course_id, volunteer_id, study_minutes, certificate_number, certificate_expires_on, recorded_at) FROM STDIN") { writer in
            for (offset, year) in years.enumerated() {
                let day = CalendarDate(year: year, month: 3, day: 15)!.daysSinceEpoch
                var number = 0
                for (index, volunteer) in city.volunteers.enumerated()
                where volunteer.registeredDay <= day && (volunteer.deregistration?.day ?? Int.max) > day && random.chance(permille: 250) {
                    let course = courseBase + Int64(offset * city.districts.count + volunteer.district)
                    number += 1
                    let certified = random.chance(permille: 500)
                    try writer.write([String(course), String(volunteerBase + Int64(index)), "120",
                                      certified ? "FC\(year)-\(String(format: "%06d", number))" : nil,
                                      certified ? "\(year + 2)-03-14" : nil, "\(year)-03-15 18:00:00"])
                }
            }
        }
    }
}
