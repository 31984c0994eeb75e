import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Moves, deregistrations and corrections: dated, kept as history, and refused when they would
/// contradict it.
struct RegistryHistoryTests {
    func withVolunteer(_ body: @escaping @Sendable (isolated Connection, String) throws -> Void) async throws {
        try await RegistryTestDatabase.withDatabase { db in
            try RegistryFixture.districts(db)
            let number = try VolunteerRegistry.register(RegistryFixture.request(registeredOn: "2019-03-01"), on: db)
            try body(db, number)
        }
    }

    func refused(_ expected: String, on db: isolated Connection, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) throws {
        let before = try RegistryFixture.counts(db)
        // No transaction around it: a refused change must not have written anything even without one.
        let line = RegistryFixture.failure(body, sourceLocation: sourceLocation)
        #expect(line == expected, sourceLocation: sourceLocation)
        #expect(try RegistryFixture.counts(db) == before, "nothing written", sourceLocation: sourceLocation)
    }

    @Test func moveIsKeptAsHistoryAndListsFollowTheDate() async throws {
        try await withVolunteer { db, number in
            try VolunteerRegistry.move(number, toDistrict: RegistryFixture.districtB, on: "2020-05-01", on: db)
            let before = try VolunteerQueries.list(VolunteerListQuery(asOf: CalendarDate(iso: "2020-04-30")), on: db)
            let after = try VolunteerQueries.list(VolunteerListQuery(asOf: CalendarDate(iso: "2020-05-01")), on: db)
            #expect(before.map(\.districtCode) == [RegistryFixture.districtA])
            #expect(after.map(\.districtCode) == [RegistryFixture.districtB])
            #expect(try VolunteerQueries.list(VolunteerListQuery(district: RegistryFixture.districtA), on: db).isEmpty)
            let details = try VolunteerQueries.show(number, on: db)
            #expect(details.districts.map(\.code) == [RegistryFixture.districtA, RegistryFixture.districtB])
        }
    }

    @Test func moveDateRules() async throws {
        try await withVolunteer { db, number in
            let today = try RegistryFixture.today(db)
            let tomorrow = today.adding(days: 1)
            try refused("on \"\(tomorrow)\": is in the future (today is \(today) in the city time zone)", on: db) {
                try VolunteerRegistry.move(number, toDistrict: RegistryFixture.districtB, on: tomorrow.description, on: db)
            }
            try refused("on \"2019-03-01\": volunteer \(number) registered on 2019-03-01; a move must be dated after that", on: db) {
                try VolunteerRegistry.move(number, toDistrict: RegistryFixture.districtB, on: "2019-03-01", on: db)
            }
            try refused("on \"2019-02-01\": volunteer \(number) registered on 2019-03-01; a move must be dated after that", on: db) {
                try VolunteerRegistry.move(number, toDistrict: RegistryFixture.districtB, on: "2019-02-01", on: db)
            }
            try refused("district \"\(RegistryFixture.districtA)\": volunteer \(number) already belongs to this district on 2019-06-01", on: db) {
                try VolunteerRegistry.move(number, toDistrict: RegistryFixture.districtA, on: "2019-06-01", on: db)
            }
            try refused("district \"210682999\": no such district (add it with `vledger district add`)", on: db) {
                try VolunteerRegistry.move(number, toDistrict: "210682999", on: "2019-06-01", on: db)
            }
            try refused("on \"2019-06-31\": must be a real date written YYYY-MM-DD", on: db) {
                try VolunteerRegistry.move(number, toDistrict: RegistryFixture.districtB, on: "2019-06-31", on: db)
            }
            try VolunteerRegistry.move(number, toDistrict: RegistryFixture.districtB, on: "2019-06-01", on: db)
            try refused("on \"2019-06-01\": volunteer \(number) already has a district change on that date", on: db) {
                try VolunteerRegistry.move(number, toDistrict: RegistryFixture.districtA, on: "2019-06-01", on: db)
            }
            try VolunteerRegistry.deregister(number, on: "2020-01-01", reason: "迁出本市", on: db)
            try refused("on \"2020-01-01\": volunteer \(number) was deregistered on 2020-01-01; a move must be dated before that", on: db) {
                try VolunteerRegistry.move(number, toDistrict: RegistryFixture.districtA, on: "2020-01-01", on: db)
            }
        }
    }

    @Test func deregistrationRules() async throws {
        try await withVolunteer { db, number in
            let today = try RegistryFixture.today(db)
            let tomorrow = today.adding(days: 1)
            try refused("on \"\(tomorrow)\": is in the future (today is \(today) in the city time zone)", on: db) {
                try VolunteerRegistry.deregister(number, on: tomorrow.description, reason: "搬家", on: db)
            }
            try refused("on \"2019-02-28\": volunteer \(number) registered on 2019-03-01; deregistration cannot be before that", on: db) {
                try VolunteerRegistry.deregister(number, on: "2019-02-28", reason: "搬家", on: db)
            }
            try refused("reason: is required", on: db) {
                try VolunteerRegistry.deregister(number, on: "2020-01-01", reason: " ", on: db)
            }
            try VolunteerRegistry.move(number, toDistrict: RegistryFixture.districtB, on: "2019-10-01", on: db)
            try refused("on \"2019-10-01\": volunteer \(number) moved district on 2019-10-01; deregistration must be after that", on: db) {
                try VolunteerRegistry.deregister(number, on: "2019-10-01", reason: "搬家", on: db)
            }
            try VolunteerRegistry.deregister(number, on: "2020-01-01", reason: "迁出本市", on: db)
            try refused("volunteer \"\(number)\": already deregistered on 2020-01-01", on: db) {
                try VolunteerRegistry.deregister(number, on: "2020-02-01", reason: "again", on: db)
            }
            // Listed until the day before; gone from that day on; show names the deregistration.
            #expect(try VolunteerQueries.list(VolunteerListQuery(asOf: CalendarDate(iso: "2019-12-31")), on: db).count == 1)
            #expect(try VolunteerQueries.list(VolunteerListQuery(asOf: CalendarDate(iso: "2020-01-01")), on: db).isEmpty)
            #expect(try VolunteerQueries.show(number, on: db).deregistration?.reason == "迁出本市")
        }
    }

    @Test func sameDayRegistrationAndDeregistrationIsAllowed() async throws {
        try await withVolunteer { db, number in
            try VolunteerRegistry.deregister(number, on: "2019-03-01", reason: "登记错误", on: db)
            #expect(try RegistryFixture.counts(db).deregistrations == 1)
        }
    }

    @Test func databaseRefusesContradictoryHistoryFromPlainSQL() async throws {
        try await withVolunteer { db, number in
            let id = try db.query("SELECT id FROM volunteer WHERE number = \(number)").single().decode(0, as: Int64.self)
            var line = RegistryFixture.failure {
                try db.execute("INSERT INTO volunteer_district (volunteer_id, district_code, effective_from) VALUES (\(id), '210682002', '2019-01-01')")
            }
            #expect(line == "on \"2019-01-01\": volunteer \(number) registered on 2019-03-01; a district change must be after that")
            line = RegistryFixture.failure {
                try db.execute("INSERT INTO volunteer_deregistration (volunteer_id, effective_on, reason) VALUES (\(id), '2019-01-01', 'x')")
            }
            #expect(line == "on \"2019-01-01\": volunteer \(number) registered on 2019-03-01; deregistration cannot be before that")
            line = RegistryFixture.failure {
                try db.execute("INSERT INTO volunteer_deregistration (volunteer_id, effective_on, reason) VALUES (\(id), vl_today() + 1, 'x')")
            }
            #expect(line.contains("is in the future"))
            line = RegistryFixture.failure {
                try db.execute("INSERT INTO volunteer_district (volunteer_id, district_code, effective_from) VALUES (\(id), '210682002', vl_today() + 1)")
            }
            #expect(line.hasPrefix("on \"") && line.contains("is in the future"))
            try db.execute("INSERT INTO volunteer_deregistration (volunteer_id, effective_on, reason) VALUES (\(id), '2020-01-01', '迁出')")
            line = RegistryFixture.failure {
                try db.execute("INSERT INTO volunteer_district (volunteer_id, district_code, effective_from) VALUES (\(id), '210682002', '2020-02-01')")
            }
            #expect(line == "on \"2020-02-01\": volunteer \(number) was deregistered on 2020-01-01; a district change must be before that")
            line = RegistryFixture.failure { try db.execute("DELETE FROM volunteer_deregistration") }
            #expect(line == "volunteer_deregistration: history rows are kept as recorded and cannot be changed or deleted")
            line = RegistryFixture.failure { try db.execute("UPDATE volunteer_district SET district_code = '210682002'") }
            #expect(line == "volunteer_district: history rows are kept as recorded and cannot be changed or deleted")
            line = RegistryFixture.failure { try db.execute("DELETE FROM volunteer_district") }
            #expect(line == "volunteer_district: history rows are kept as recorded and cannot be changed or deleted")
            line = RegistryFixture.failure { try db.execute("UPDATE volunteer SET registered_on = '2019-01-01'") }
            #expect(line == "registered_on \"2019-03-01\": cannot be changed after registration")
            line = RegistryFixture.failure { try db.execute("UPDATE volunteer SET id_number = \(RegistryFixture.id(born: "1990-01-01", sequence: 999))") }
            #expect(line == "id_number \"\(Masking.idNumber(RegistryFixture.id(born: "1990-01-01")))\": cannot be changed after registration")
            #expect(try RegistryFixture.counts(db) == RegistryFixture.Counts(volunteers: 1, districtRows: 1, deregistrations: 1))
        }
    }

    @Test func correctionsKeepTheEarlierValue() async throws {
        try await withVolunteer { db, number in
            try refused("phone \"139***0000\": must be an 11-digit mainland mobile number", on: db) {
                _ = try VolunteerRegistry.update(number, name: "张伟伟", phone: "1390000000", on: db)
            }
            try refused("volunteer: give --name or --phone to correct", on: db) {
                _ = try VolunteerRegistry.update(number, name: nil, phone: nil, on: db)
            }
            _ = try VolunteerRegistry.update(number, name: "张炜", phone: "13900000000", on: db)
            let details = try VolunteerQueries.show(number, on: db)
            #expect(details.name == "张炜")
            #expect(details.phone == "13900000000")
            #expect(details.corrections.map(\.field) == ["name", "phone"])
            #expect(details.corrections.map(\.oldValue) == ["张伟", "138****5678"])  // phones are kept masked in the history
        }
    }

    @Test func unknownVolunteerIsNamedMasked() async throws {
        try await withVolunteer { db, _ in
            try refused("volunteer \"VL00000099\": no such volunteer", on: db) {
                try VolunteerRegistry.deregister("VL00000099", on: "2020-01-01", reason: "x", on: db)
            }
            let other = RegistryFixture.id(born: "1970-01-01")
            try refused("volunteer \"\(Masking.idNumber(other))\": no such volunteer", on: db) {
                try VolunteerRegistry.move(other, toDistrict: RegistryFixture.districtB, on: "2020-01-01", on: db)
            }
        }
    }
}
