import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Every registration rule of SPEC.md, fed bad input: the one-line error (field, masked value,
/// rule) and that nothing was written.
struct RegistryRulesTests {
    func withRegistry(_ body: @escaping @Sendable (isolated Connection) throws -> Void) async throws {
        try await RegistryTestDatabase.withDatabase { db in
            try RegistryFixture.districts(db)
            try body(db)
        }
    }

    /// Registering `request` must fail with `expected`, leaving the counts as they were.
    func refused(_ request: RegistrationRequest, _ expected: String, on db: isolated Connection, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try RegistryFixture.counts(db)
        let line = RegistryFixture.failure({ _ = try db.transaction { tx in try VolunteerRegistry.register(request, on: tx) } }, sourceLocation: sourceLocation)
        #expect(line == expected, sourceLocation: sourceLocation)
        #expect(try RegistryFixture.counts(db) == before, "nothing written", sourceLocation: sourceLocation)
        #expect(!line.contains(request.idNumber) || request.idNumber.count < 15, "ID number masked", sourceLocation: sourceLocation)
        #expect(!line.contains(request.phone) || request.phone.count < 11, "phone masked", sourceLocation: sourceLocation)
    }

    @Test func registrationWritesVolunteerAndFirstDistrictRow() async throws {
        try await withRegistry { db in
            let number = try VolunteerRegistry.register(RegistryFixture.request(), on: db)
            #expect(number == "VL00000001")
            let row = try db.query("""
                SELECT v.name, v.registered_on, v.consent_recorded_at IS NOT NULL, vd.district_code, vd.effective_from
                FROM volunteer v JOIN volunteer_district vd ON vd.volunteer_id = v.id WHERE v.number = \(number)
                """).single()
            #expect(try row.decode(0, as: String.self) == "张伟")
            #expect(try row.decode(1, as: CalendarDate.self) == CalendarDate(iso: "2019-03-01"))
            #expect(try row.decode(2, as: Bool.self))
            #expect(try row.decode(3, as: String.self) == RegistryFixture.districtA)
            #expect(try row.decode(4, as: CalendarDate.self) == CalendarDate(iso: "2019-03-01"))
            // Numbers come from the sequence, not from the ID number.
            #expect(try VolunteerRegistry.register(RegistryFixture.request(sequence: 124), on: db) == "VL00000002")
        }
    }

    @Test func registrationDateDefaultsToTodayInTheCity() async throws {
        try await withRegistry { db in
            let number = try VolunteerRegistry.register(RegistryFixture.request(registeredOn: nil), on: db)
            let registered = try db.query("SELECT registered_on FROM volunteer WHERE number = \(number)").single().decode(0, as: CalendarDate.self)
            #expect(registered == (try RegistryFixture.today(db)))
        }
    }

    @Test func sameIDNumberTwiceNamesTheExistingVolunteer() async throws {
        try await withRegistry { db in
            let number = try VolunteerRegistry.register(RegistryFixture.request(), on: db)
            try refused(RegistryFixture.request(name: "张伟伟", phone: "13900000000"),
                        "id_number \"210682********\(RegistryFixture.id(born: "1990-01-01").suffix(4))\": already registered as volunteer \(number) (one registration per person)",
                        on: db)
        }
    }

    @Test func fifteenDigitNumberOfARegisteredPersonIsTheSamePerson() async throws {
        try await withRegistry { db in
            let id18 = try IDNumber("210682900101123").value
            let number = try VolunteerRegistry.register(
                RegistrationRequest(name: "王芳", idNumber: id18, phone: "13812345678", district: RegistryFixture.districtA, registeredOn: "2019-01-01"), on: db)
            let line = RegistryFixture.failure {
                _ = try VolunteerRegistry.register(
                    RegistrationRequest(name: "王芳", idNumber: "210682900101123", phone: "13812345678", district: RegistryFixture.districtA, registeredOn: "2019-01-01"), on: db)
            }
            #expect(line.hasSuffix("already registered as volunteer \(number) (one registration per person)"))
            #expect(try RegistryFixture.counts(db).volunteers == 1)
        }
    }

    @Test func badIDNumbersAreRefused() async throws {
        try await withRegistry { db in
            let good = RegistryFixture.id(born: "1990-01-01")
            let wrongCheck = String(good.dropLast()) + (good.last == "1" ? "2" : "1")
            try refused(RegistrationRequest(name: "张伟", idNumber: wrongCheck, phone: "13812345678", district: RegistryFixture.districtA, registeredOn: "2019-03-01"),
                        "id_number \"\(Masking.idNumber(wrongCheck))\": check digit does not match (GB 11643-1999)", on: db)
            try refused(RegistrationRequest(name: "张伟", idNumber: "21068219901301123X", phone: "13812345678", district: RegistryFixture.districtA, registeredOn: "2019-03-01"),
                        "id_number \"210682********123X\": birth date in the number is not a real date", on: db)
            try refused(RegistrationRequest(name: "张伟", idNumber: "2106821990", phone: "13812345678", district: RegistryFixture.districtA, registeredOn: "2019-03-01"),
                        "id_number \"**********\": must be 18 characters (or an old 15-digit number), got 10", on: db)
        }
    }

    @Test func badPhoneIsRefusedMasked() async throws {
        try await withRegistry { db in
            try refused(RegistryFixture.request(phone: "12812345678"), "phone \"128****5678\": must be an 11-digit mainland mobile number", on: db)
            try refused(RegistryFixture.request(phone: "1381234567"), "phone \"138***4567\": must be an 11-digit mainland mobile number", on: db)
        }
    }

    @Test func unknownDistrictAndEmptyNameAreRefused() async throws {
        try await withRegistry { db in
            try refused(RegistryFixture.request(district: "210682999"), "district \"210682999\": no such district (add it with `vledger district add`)", on: db)
            try refused(RegistryFixture.request(name: "  "), "name: is required", on: db)
        }
    }

    @Test func futureAndBadDatesAreRefused() async throws {
        try await withRegistry { db in
            let today = try RegistryFixture.today(db)
            let tomorrow = today.adding(days: 1)
            try refused(RegistryFixture.request(registeredOn: tomorrow.description),
                        "registered_on \"\(tomorrow)\": is in the future (today is \(today) in the city time zone)", on: db)
            try refused(RegistryFixture.request(registeredOn: "2019-02-29"), "registered_on \"2019-02-29\": must be a real date written YYYY-MM-DD", on: db)
            try refused(RegistryFixture.request(born: "2001-05-01", registeredOn: "2001-04-30"), "registered_on \"2001-04-30\": is before the birth date in the ID number", on: db)
        }
    }

    @Test func minimumAgeComesFromTheSetting() async throws {
        try await withRegistry { db in
            let young = RegistryFixture.request(born: "2006-01-02", registeredOn: "2020-01-01")
            try refused(young, "id_number \"\(Masking.idNumber(young.idNumber))\": under the minimum age of 14 on the registration date 2020-01-01 (age 13)", on: db)
            try db.execute("UPDATE setting SET value = '16' WHERE name = 'minimum_age'")
            let fifteen = RegistryFixture.request(born: "2005-01-01", registeredOn: "2020-01-01")
            try refused(fifteen, "id_number \"\(Masking.idNumber(fifteen.idNumber))\": under the minimum age of 16 on the registration date 2020-01-01 (age 15)", on: db)
        }
    }

    @Test func leapDayBirthdayCountsWholeYearsInSwiftAndSQL() async throws {
        try await withRegistry { db in
            let leap = RegistryFixture.request(born: "2008-02-29", registeredOn: "2022-02-28")
            try refused(leap, "id_number \"\(Masking.idNumber(leap.idNumber))\": under the minimum age of 14 on the registration date 2022-02-28 (age 13)", on: db)
            let line = RegistryFixture.failure {
                try db.execute("""
                    INSERT INTO volunteer (name, id_number, phone, registered_on, guardian_name, guardian_phone, guardian_consent_at)
                    VALUES ('小明', \(leap.idNumber), '13800000000', '2022-02-28', '张三', '13900000000', now())
                    """)
            }
            #expect(line == "id_number \"\(Masking.idNumber(leap.idNumber))\": under the minimum age of 14 on the registration date 2022-02-28")
            var onTime = RegistryFixture.request(born: "2008-02-29", registeredOn: "2022-03-01")
            onTime.guardianName = "张三"
            onTime.guardianPhone = "13900000000"
            onTime.guardianConsent = true
            _ = try VolunteerRegistry.register(onTime, on: db)
            #expect(try RegistryFixture.counts(db).volunteers == 1)
        }
    }

    @Test func minorNeedsGuardianNamePhoneAndConsent() async throws {
        try await withRegistry { db in
            var minor = RegistryFixture.request(born: "2005-06-01", registeredOn: "2020-01-01")
            try refused(minor, "guardian_name: a volunteer aged 14 at registration (under 18) needs a guardian's name, phone and recorded consent", on: db)
            minor.guardianName = "张建国"
            try refused(minor, "guardian_phone: a volunteer aged 14 at registration (under 18) needs a guardian's name, phone and recorded consent", on: db)
            minor.guardianPhone = "1390000000"
            try refused(minor, "guardian_phone \"139***0000\": must be an 11-digit mainland mobile number", on: db)
            minor.guardianPhone = "13900000000"
            try refused(minor, "guardian_consent: a volunteer aged 14 at registration (under 18) needs the guardian's recorded consent (--guardian-consent)", on: db)
            minor.guardianConsent = true
            let number = try VolunteerRegistry.register(minor, on: db)
            // An adult may have a guardian recorded, but only with all three.
            var adult = RegistryFixture.request(born: "1990-06-01", sequence: 7, registeredOn: "2020-01-01")
            adult.guardianConsent = true
            try refused(adult, "guardian_name: guardian details go together: a guardian's name, phone and recorded consent", on: db)
            let consent = try db.query("SELECT guardian_consent_at IS NOT NULL, guardian_name FROM volunteer WHERE number = \(number)").single()
            #expect(try consent.decode(0, as: Bool.self))
            #expect(try consent.decode(1, as: String.self) == "张建国")
        }
    }

    @Test func concurrentRegistrationsOfOnePersonLeaveOneAndNameIt() async throws {
        try await TestDatabase.with(deadline: .seconds(300)) { database in
            let setup = try await database.connect()
            try await setup.transaction { db in try RegistryFixture.districts(db) }
            let request = RegistryFixture.request()
            // The first session to insert keeps its transaction open, on a lock the test holds,
            // until the other has passed the Swift check too and waits behind it on the unique
            // ID number: both really race, however the machine schedules them.
            try await setup.execute("SELECT pg_advisory_lock(13)")
            let racing = Task {
                try await withThrowingTaskGroup(of: String.self) { group in
                    for _ in 0..<2 {
                        group.addTask {
                            let connection = try await database.connect()
                            let outcome: String
                            do {
                                outcome = try await connection.transaction { db in
                                    let number = try VolunteerRegistry.register(request, on: db)
                                    try db.execute("SELECT pg_advisory_xact_lock_shared(13)")
                                    return number
                                }
                            } catch {
                                outcome = "error: " + UserMessage.line(for: error)
                            }
                            await connection.close()
                            return outcome
                        }
                    }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
            }
            try await SessionWaits.untilBlocked(1, on: "advisory", admin: setup)
            try await SessionWaits.untilBlocked(1, on: "transactionid", admin: setup)
            try await setup.execute("SELECT pg_advisory_unlock(13)")
            let outcomes = try await racing.value
            let numbers = outcomes.filter { !$0.hasPrefix("error") }
            let errors = outcomes.filter { $0.hasPrefix("error") }
            #expect(numbers.count == 1)
            #expect(errors.count == 1)
            #expect(errors.first?.hasSuffix("already registered as volunteer \(numbers.first ?? "?") (one registration per person)") == true)
            #expect(try await setup.query("SELECT count(*) FROM volunteer").single().decode(0, as: Int.self) == 1)
            await setup.close()
        }
    }

    @Test func databaseHoldsTheRulesForPlainSQL() async throws {
        try await withRegistry { db in
            let young = RegistryFixture.id(born: "2010-01-01")
            let line = RegistryFixture.failure {
                try db.execute("INSERT INTO volunteer (name, id_number, phone, registered_on, guardian_name, guardian_phone, guardian_consent_at) VALUES ('小明', \(young), '13800000000', '2020-01-01', '张三', '13900000000', now())")
            }
            #expect(line == "id_number \"\(Masking.idNumber(young))\": under the minimum age of 14 on the registration date 2020-01-01")
            let adult = RegistryFixture.id(born: "1980-01-01")
            let future = RegistryFixture.failure {
                try db.execute("INSERT INTO volunteer (name, id_number, phone, registered_on) VALUES ('老王', \(adult), '13800000000', vl_today() + 1)")
            }
            #expect(future.hasPrefix("registered_on \"") && future.contains("is in the future"))
            let counts = try RegistryFixture.counts(db)
            #expect(counts == RegistryFixture.Counts())
        }
    }

    /// The same under-age person through `volunteer register`, `volunteer import` and plain SQL:
    /// the same code, field, masked value and arguments, and both languages name the minimum age,
    /// the registration date and the age (the database's through its DETAIL, migration 0120).
    @Test func theSameUnderAgePersonGetsTheSameRuleAndArgumentsOnEveryPath() async throws {
        try await withRegistry { db in
            let young = RegistryFixture.request(born: "2007-06-01", registeredOn: "2020-01-01")
            var byRegister: UserFacingError?
            do { _ = try db.transaction { tx in try VolunteerRegistry.register(young, on: tx) } } catch let v as RuleViolation { byRegister = v.userFacing }
            let url = try RegistryFixture.temporaryFile("young.csv", bytes: Array("""
                name,id_number,phone,district_code,registered_on
                小明,\(young.idNumber),13812345678,\(RegistryFixture.districtA),2020-01-01

                """.utf8))
            var byImport: UserFacingError?
            do { _ = try VolunteerImport.run(url, options: ImportOptions(showProgress: false), on: db) } catch VLedgerError.importRejected(let report) {
                byImport = report.problems.first?.userFacing
            }
            var bySQL: UserFacingError?
            do {
                try db.execute("""
                    INSERT INTO volunteer (name, id_number, phone, registered_on, guardian_name, guardian_phone, guardian_consent_at)
                    VALUES ('小明', \(young.idNumber), '13800000000', '2020-01-01', '张三', '13900000000', now())
                    """)
            } catch let error as PostgresError { bySQL = UserMessage.userFacing(for: error) }
            let expected = ["minimum": "14", "registered_on": "2020-01-01", "age": "12"]
            for refusal in [byRegister, byImport, bySQL] {
                #expect(refusal?.code == "volunteer_minimum_age")
                #expect(refusal?.field == "id_number")
                #expect(refusal?.value == Masking.idNumber(young.idNumber))
                #expect(refusal?.args == expected)
                for language in Language.allCases {
                    let text = refusal?.message(in: language) ?? ""
                    #expect(text.contains("14") && text.contains("2020-01-01") && text.contains("12"), "\(language): \(text)")
                    #expect(!text.contains(young.idNumber))
                }
                let zhText = refusal?.message(in: .zh) ?? ""
                #expect(untranslatedEnglish(zhText).isEmpty, "\(zhText)")
            }
            #expect(try RegistryFixture.counts(db) == RegistryFixture.Counts())
        }
    }
}

extension RegistryRulesTests {
    /// A minor without a guardian: the age is in the Chinese text too.
    @Test func aMinorWithoutAGuardianIsToldTheAgeInChinese() async throws {
        try await withRegistry { db in
            let minor = RegistryFixture.request(born: "2005-01-01", registeredOn: "2020-01-01")
            var refusal: RuleViolation?
            do { _ = try VolunteerRegistry.register(minor, on: db) } catch let v as RuleViolation { refusal = v }
            #expect(refusal?.code == "guardian_required_minor" && refusal?.args == ["age": "15"])
            let zh = refusal?.message(in: .zh) ?? ""
            #expect(zh.contains("15") && untranslatedEnglish(zh).isEmpty, "\(zh)")
            #expect(refusal?.message(in: .en) == "guardian_name: a volunteer aged 15 at registration (under 18) needs a guardian's name, phone and recorded consent")
        }
    }
}
