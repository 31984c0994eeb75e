import PostgresLibPQ
import Testing
@testable import VLedgerCore

struct IDNumberTests {
    @Test func validNumberKeepsBirthDateAndSex() throws {
        let id = try IDNumber("11010519491231002X")
        #expect(id.value == "11010519491231002X")
        #expect(id.birthDate == CalendarDate(year: 1949, month: 12, day: 31))
        #expect(id.sex == "F")
        #expect(id.masked == "110105********002X")
        #expect("\(id)" == "110105********002X")
    }

    @Test func lowerCaseXAndSurroundingSpaceAreAccepted() throws {
        #expect(try IDNumber(" 11010519491231002x\n").value == "11010519491231002X")
    }

    @Test func wrongCheckDigitIsRefusedMasked() {
        let error = #expect(throws: RuleViolation.self) { try IDNumber("110105194912310021") }
        #expect(error?.description == "id_number \"110105********0021\": check digit does not match (GB 11643-1999)")
    }

    @Test func impossibleBirthDateIsRefused() {
        let body = "21068219900230123"
        let error = #expect(throws: RuleViolation.self) { try IDNumber(body + "0") }
        #expect(error?.rule == "birth date in the number is not a real date")
    }

    @Test func fifteenDigitNumberIsUpgradedWithCheckDigit() throws {
        // 130503 670401 001 → 130503 19670401 001 + check digit 6 (weighted sum 182, 182 mod 11 = 6 → "6").
        let id = try IDNumber("130503670401001")
        #expect(id.value == "130503196704010016")
        #expect(id.birthDate == CalendarDate(year: 1967, month: 4, day: 1))
        #expect(id.sex == "M")
        #expect(try IDNumber(id.value) == id)
    }

    @Test func wrongLengthAndLettersAreRefused() {
        #expect(throws: RuleViolation.self) { try IDNumber("1101051949123100") }
        #expect(throws: RuleViolation.self) { try IDNumber("11010519491231002A") }
        #expect(throws: RuleViolation.self) { try IDNumber("13050367040100X") }
    }

    @Test func fullWidthDigitsAreTheSameNumber() throws {
        // Typed with a Chinese input method in full-width mode (issue 12 §3): the same ID number.
        #expect(try IDNumber("１１０１０５１９４９１２３１００２X").value == "11010519491231002X")
        #expect(try IDNumber("１１０１０５１９４９１２３１００２ｘ").value == "11010519491231002X")
        #expect(throws: RuleViolation.self) { try IDNumber("１１０１０５１９４９１２３１００２Ａ") }
    }

    @Test func digitWithCombiningMarkIsRefusedNotCrashing() {
        // "1\u{301}" is one Character that sorts between "1" and "2"; a range test let it through to Int(_:)!.
        let text = "1\u{301}" + "1010519491231002X"
        #expect(text.count == 18)
        #expect(throws: RuleViolation.self) { try IDNumber(text) }
    }

    @Test func checkDigitMatchesTheDatabaseFunction() async throws {
        try await RegistryTestDatabase.withDatabase { (db: isolated Connection) throws in
            for sequence in stride(from: 0, to: 1000, by: 37) {
                let id = RegistryFixture.id(born: "1985-07-15", sequence: sequence)
                #expect(try db.query("SELECT vl_id_number_valid(\(id))").single().decode(0, as: Bool.self))
                #expect(try IDNumber(id).value == id)
            }
        }
    }
}
