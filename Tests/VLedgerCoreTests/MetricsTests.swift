import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Hand-computed scenarios for every boundary of SPEC.md "The annual metrics".
struct MetricsTests {
    static func report(_ db: Connection, year: Int, asOf: String? = nil, asRecordedAt: String? = nil, scope: MetricsScope = .builtUp,
                       targets: MetricsTargets = .plan, fromLedger: Bool = false) async throws -> MetricsReport {
        var request = try MetricsRequest(year: year, asOf: asOf, asRecordedAt: asRecordedAt, scope: scope, targets: targets)
        request.fromLedger = fromLedger
        return try await MetricsService.run(request, on: db)
    }

    static func district(_ report: MetricsReport, _ code: String) throws -> MetricsFigures {
        try #require(report.districts.first { $0.code == code }).figures
    }

    static func counts(_ figures: MetricsFigures) -> [Int64?] {
        [figures.counts.population, figures.counts.registered, figures.counts.active, figures.counts.approvedMinutes]
    }

    @Test func yearWindowFollowsTheCityTimeZone() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district("210682001", "凤凰城街道")
            try await f.population("210682001", year: 2019, residents: 100)
            let newYearsEve = try await f.activity(district: "210682001", starts: "2019-12-31 23:00+08", ends: "2020-01-01 02:00+08")
            let lastYear = try await f.activity(district: "210682001", starts: "2018-12-31 23:00+08", ends: "2019-01-01 01:00+08")
            let a = try await f.volunteer(1, district: "210682001", registeredOn: "2018-06-01")
            let b = try await f.volunteer(2, district: "210682001", registeredOn: "2018-06-01")
            let c = try await f.volunteer(3, district: "210682001", registeredOn: "2018-06-01")
            // 23:30 on 31 December local (15:30 UTC) counts in 2019.
            try await f.approvedEntry(a, activity: newYearsEve, start: "2019-12-31 23:30+08", minutes: 30)
            // 00:30 on 1 January local is 2019-12-31 16:30 UTC: it belongs to 2020 all the same.
            try await f.approvedEntry(b, activity: newYearsEve, start: "2020-01-01 00:30+08", minutes: 60)
            // Midnight opening the year counts; 23:30 the evening before does not.
            try await f.approvedEntry(c, activity: lastYear, start: "2018-12-31 23:30+08", minutes: 30)
            try await f.approvedEntry(c, activity: lastYear, start: "2019-01-01 00:00+08", minutes: 45)

            for fromLedger in [false, true] {
                let y2019 = try await Self.report(db, year: 2019, fromLedger: fromLedger)
                #expect(Self.counts(try Self.district(y2019, "210682001")) == [100, 3, 2, 75])
                let y2020 = try await Self.report(db, year: 2020, fromLedger: fromLedger)
                #expect(Self.counts(try Self.district(y2020, "210682001")) == [nil, 3, 1, 60])
            }
        }
    }

    @Test func registrationOnTheReferenceDateCountsDeregistrationOnItDoesNot() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district("210682001", "凤凰城街道")
            try await f.volunteer(1, district: "210682001", registeredOn: "2019-12-31")        // counts
            try await f.volunteer(2, district: "210682001", registeredOn: "2019-06-30")        // counts, also on 30 June
            let leavesOnD = try await f.volunteer(3, district: "210682001", registeredOn: "2018-01-01")
            try await f.deregister(leavesOnD, on: "2019-12-31")                                // not on D
            let leavesAfter = try await f.volunteer(4, district: "210682001", registeredOn: "2018-01-01")
            try await f.deregister(leavesAfter, on: "2020-01-01")                              // still on D
            let leavesMidYear = try await f.volunteer(5, district: "210682001", registeredOn: "2018-01-01")
            try await f.deregister(leavesMidYear, on: "2019-07-01")
            let activity = try await f.activity(district: "210682001", starts: "2019-06-30 20:00+08", ends: "2019-07-01 03:00+08")
            // Hours of a volunteer who left before D do not count in H either.
            try await f.approvedEntry(leavesMidYear, activity: activity, start: "2019-06-30 20:00+08", minutes: 120)
            try await f.approvedEntry(leavesAfter, activity: activity, start: "2019-06-30 23:30+08", minutes: 30)
            try await f.approvedEntry(leavesOnD, activity: activity, start: "2019-06-30 20:00+08", minutes: 60)
            let late = try await f.volunteer(6, district: "210682001", registeredOn: "2019-05-01")
            try await f.approvedEntry(late, activity: activity, start: "2019-07-01 00:30+08", minutes: 60)

            let yearEnd = try await Self.report(db, year: 2019)
            #expect(Self.counts(try Self.district(yearEnd, "210682001")) == [nil, 4, 2, 90])
            // D = 30 June: registered on D counts, leaving on 1 July not yet; entries after D excluded.
            let midYear = try await Self.report(db, year: 2019, asOf: "2019-06-30")
            #expect(Self.counts(try Self.district(midYear, "210682001")) == [nil, 5, 3, 210])
            let ledger = try await Self.report(db, year: 2019, asOf: "2019-06-30", fromLedger: true)
            #expect(ledger.districts == midYear.districts)
            // A day after the year: registrations as on D, hours of the year only.
            let after = try await Self.report(db, year: 2019, asOf: "2020-01-01")
            #expect(Self.counts(try Self.district(after, "210682001")) == [nil, 3, 1, 60])
        }
    }

    @Test func aMoveCountsInTheDistrictOfTheReferenceDate() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district("210682001", "凤凰城街道")
            try await f.district("210682002", "凤山街道")
            let activity = try await f.activity(district: "210682001", starts: "2019-03-01 09:00+08", ends: "2019-03-01 12:00+08")
            let mover = try await f.volunteer(1, district: "210682001", registeredOn: "2018-01-01")
            try await f.move(mover, to: "210682002", on: "2019-06-01")
            let laterMover = try await f.volunteer(2, district: "210682001", registeredOn: "2018-01-01")
            try await f.move(laterMover, to: "210682002", on: "2020-03-01")
            try await f.approvedEntry(mover, activity: activity, start: "2019-03-01 09:00+08", minutes: 180)
            try await f.approvedEntry(laterMover, activity: activity, start: "2019-03-01 09:00+08", minutes: 120)

            let report = try await Self.report(db, year: 2019)
            // The mover's hours, served in the old district before the move, follow them to the new one.
            #expect(Self.counts(try Self.district(report, "210682002")) == [nil, 1, 1, 180])
            #expect(Self.counts(try Self.district(report, "210682001")) == [nil, 1, 1, 120])
            let spring = try await Self.report(db, year: 2019, asOf: "2019-05-31")
            #expect(Self.counts(try Self.district(spring, "210682001")) == [nil, 2, 2, 300])
            #expect(report.city.counts.registered == 2)
        }
    }

    @Test func onlyNetApprovedMinutesCount() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district("210682001", "凤凰城街道")
            let activity = try await f.activity(district: "210682001", starts: "2019-05-01 08:00+08", ends: "2019-05-01 12:00+08")
            let zeroed = try await f.volunteer(1, district: "210682001", registeredOn: "2019-01-01")
            let pending = try await f.volunteer(2, district: "210682001", registeredOn: "2019-01-01")
            let rejected = try await f.volunteer(3, district: "210682001", registeredOn: "2019-01-01")
            let corrected = try await f.volunteer(4, district: "210682001", registeredOn: "2019-01-01")
            let original = try await f.approvedEntry(zeroed, activity: activity, start: "2019-05-01 08:00+08", minutes: 120)
            try await f.approve(try await f.correct(original, delta: -120, reason: "重复登记，核减为零"))
            try await f.entry(pending, activity: activity, start: "2019-05-01 08:00+08", minutes: 60)
            try await f.reject(try await f.entry(rejected, activity: activity, start: "2019-05-01 08:00+08", minutes: 60))
            let worked = try await f.approvedEntry(corrected, activity: activity, start: "2019-05-01 08:00+08", minutes: 90)
            try await f.approve(try await f.correct(worked, delta: -30))
            try await f.correct(worked, delta: 15, reason: "补录漏记服务时长")      // pending: not counted

            for fromLedger in [false, true] {
                let report = try await Self.report(db, year: 2019, fromLedger: fromLedger)
                #expect(Self.counts(try Self.district(report, "210682001")) == [nil, 4, 1, 60])
            }
        }
    }

    @Test func zeroDenominatorsGiveNullNeverANumber() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district("210682001", "凤凰城街道")
            // A 0 can no longer be recorded (0060); one recorded before that migration stays in the
            // append-only history, which is what this recreates.
            try await db.execute("ALTER TABLE population_revision DROP CONSTRAINT population_residents_positive")
            try await f.population("210682001", year: 2019, residents: 0)
            try await db.execute("ALTER TABLE population_revision ADD CONSTRAINT population_residents_positive CHECK (residents > 0) NOT VALID")
            try await f.district("210682002", "凤山街道")                 // no population figure at all
            try await f.volunteer(1, district: "210682002", registeredOn: "2019-01-01")
            let report = try await Self.report(db, year: 2019)
            let empty = try Self.district(report, "210682001")
            #expect(empty.registrationShare == nil && empty.participationRate == nil && empty.hoursPerVolunteer == nil)
            #expect(empty.meetsRegistrationShare == nil && empty.meetsParticipationRate == nil && empty.meetsHoursPerVolunteer == nil)
            #expect(empty.registrationsNeeded == 0 && empty.participantsNeeded == 0 && empty.hoursNeeded == "0.00")
            let unknown = try Self.district(report, "210682002")
            #expect(unknown.counts.population == nil && unknown.registrationShare == nil && unknown.registrationsNeeded == nil)
            #expect(unknown.participationRate == "0.0000" && unknown.meetsParticipationRate == false)
            #expect(unknown.hoursNeeded == "25.00" && unknown.participantsNeeded == 1)
            // The city never divides by part of its population.
            #expect(report.city.counts.population == nil && report.city.registrationShare == nil)
            #expect(report.warnings.contains { $0.code == .populationMissing && $0.district == "210682002" })
            let text = report.json.rendered()
            #expect(text.contains("\"registration_share\": null"))
            #expect(text.contains("\"population\": null"))
        }
    }

    @Test func targetsAreComparedExactlyBeforeRounding() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district("210682001", "凤凰城街道")
            try await f.population("210682001", year: 2019, residents: 100)
            try await f.district("210682002", "凤山街道")
            try await f.population("210682002", year: 2019, residents: 101)
            // Two 26-hour activities, so nobody serves more than an activity's length on it.
            let march = try await f.activity(district: "210682001", starts: "2019-03-01 00:00+08", ends: "2019-03-02 02:00+08")
            let april = try await f.activity(district: "210682001", starts: "2019-04-01 00:00+08", ends: "2019-04-02 02:00+08")
            // District 1: 13 volunteers of 100 residents (exactly 0.13), 10 active (0.7692),
            // 13 · 25 h = 19500 minutes minus one: 24.9987 h prints 25.00 yet misses.
            for index in 0..<13 {
                let id = try await f.volunteer(index + 1, district: "210682001", registeredOn: "2018-01-01")
                guard index < 10 else { continue }
                try await f.approvedEntry(id, activity: march, start: "2019-03-01 00:00+08", minutes: 1500)
                try await f.approvedEntry(id, activity: april, start: "2019-04-01 00:00+08", minutes: index == 9 ? 449 : 450)
            }
            // District 2: 13 of 101 residents (0.1287), 7 of 13 active (0.5385), 12000 minutes (15.38 h).
            for index in 0..<13 {
                let id = try await f.volunteer(100 + index, district: "210682002", registeredOn: "2018-01-01")
                guard index < 7 else { continue }
                try await f.approvedEntry(id, activity: march, start: "2019-03-01 00:00+08", minutes: 1500)
                if index == 6 { try await f.approvedEntry(id, activity: april, start: "2019-04-01 00:00+08", minutes: 1500) }
            }

            let report = try await Self.report(db, year: 2019, scope: .all)
            let first = try Self.district(report, "210682001")
            #expect(first.registrationShare == "0.1300" && first.meetsRegistrationShare == true && first.registrationsNeeded == 0)
            #expect(first.participationRate == "0.7692" && first.meetsParticipationRate == true)
            #expect(first.hoursPerVolunteer == "25.00" && first.meetsHoursPerVolunteer == false && first.hoursNeeded == "0.02")
            let second = try Self.district(report, "210682002")
            #expect(second.registrationShare == "0.1287" && second.meetsRegistrationShare == false && second.registrationsNeeded == 1)
            #expect(second.counts.registered == 13 && second.counts.active == 7)
            #expect(second.participationRate == "0.5385" && second.participantsNeeded == 3)
            #expect(second.hoursPerVolunteer == "15.38" && second.meetsHoursPerVolunteer == false && second.hoursNeeded == "125.00")

            // Overridden targets, still exact: 0.14 needs ⌈14⌉ = 14 registered; 7/13 = 0.53846… misses
            // 0.5385 by 0.0005 of a volunteer; 12000 minutes meet 15.3846 h · 13 = 11999.988 minutes.
            let targets = try MetricsTargets.with(registrationShare: "0.14", participationRate: "0.5385", hoursPerVolunteer: "15.3846")
            let custom = try await Self.report(db, year: 2019, scope: .all, targets: targets)
            let firstCustom = try Self.district(custom, "210682001")
            #expect(firstCustom.meetsRegistrationShare == false && firstCustom.registrationsNeeded == 1)
            let secondCustom = try Self.district(custom, "210682002")
            #expect(secondCustom.meetsParticipationRate == false && secondCustom.participantsNeeded == 1)
            #expect(secondCustom.meetsHoursPerVolunteer == true && secondCustom.hoursNeeded == "0.00")
            let stricter = try await Self.report(db, year: 2019, scope: .all, targets: try MetricsTargets.with(
                registrationShare: nil, participationRate: nil, hoursPerVolunteer: "15.3847"))
            #expect(try Self.district(stricter, "210682002").meetsHoursPerVolunteer == false)
            #expect(custom.json.rendered().contains("\"registration_share\": 0.14,"))
        }
    }

    @Test func exactRoundingIsHalfUpOnTheTrueQuotient() {
        #expect(ExactDecimal.quotient(2601, 20000, places: 4) == "0.1301")   // 0.13005
        #expect(ExactDecimal.quotient(26009, 200000, places: 4) == "0.1300") // 0.130045
        #expect(ExactDecimal.quotient(1, 8, places: 2) == "0.13")
        #expect(ExactDecimal.quotient(5999, 240, places: 2) == "25.00")
        #expect(ExactDecimal.quotient(2, 3, places: 4) == "0.6667")
        #expect(ExactDecimal.quotient(0, 7, places: 4) == "0.0000")
        #expect(ExactDecimal.quotient(-90, 60, places: 2) == "-1.50")
        #expect(ExactDecimal.quotient(123_456_789_012, 7, places: 4) == "17636684144.5714")
        #expect(ExactDecimal.ceiling(Decimal(string: "13.0")!) == 13)
        #expect(ExactDecimal.ceiling(Decimal(string: "13.13")!) == 14)
    }

    @Test func badArgumentsAreRefusedWithTheFieldAndRule() throws {
        #expect(throws: RuleViolation(field: "year", value: "10000", rule: "must be a year from 1949 to 9998")) {
            try MetricsRequest(year: 10000)
        }
        #expect(throws: RuleViolation(field: "as-of", value: "2019-02-29", rule: "must be a real date written YYYY-MM-DD")) {
            try MetricsRequest(year: 2019, asOf: "2019-02-29")
        }
        #expect(throws: RuleViolation(field: "as-of", value: "2018-12-31", rule: "must be on or after 2019-01-01, the first day of the year")) {
            try MetricsRequest(year: 2019, asOf: "2018-12-31")
        }
        #expect(throws: RuleViolation.self) { try MetricsRequest(year: 2019, asRecordedAt: "yesterday") }
        #expect(throws: RuleViolation(field: "scope", value: "city", rule: "must be built_up or all")) { try MetricsScope.parse("city") }
        for bad in ["0", "1.5", "-0.1", "13%", "abc"] {
            #expect(throws: RuleViolation.self) { try MetricsTargets.with(registrationShare: bad, participationRate: nil, hoursPerVolunteer: nil) }
            #expect(throws: RuleViolation.self) { try MetricsTargets.with(registrationShare: nil, participationRate: bad, hoursPerVolunteer: nil) }
        }
        #expect(throws: RuleViolation.self) { try MetricsTargets.with(registrationShare: nil, participationRate: nil, hoursPerVolunteer: "-1") }
        let fine = try MetricsTargets.with(registrationShare: "1", participationRate: "0.7", hoursPerVolunteer: "0")
        #expect(fine.registrationShare.value == 1 && fine.hoursPerVolunteer.text == "0")
    }
}
