import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Shared helpers of the registry tests: valid ID numbers, districts, and counts of what was written.
enum RegistryFixture {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    /// A valid 18-character ID number for region 210682, the birth date and a sequence.
    static func id(born: String, sequence: Int = 123, region: String = "210682") -> String {
        let body = region + born.replacingOccurrences(of: "-", with: "") + String(format: "%03d", sequence)
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    static let districtA = "210682001"
    static let districtB = "210682002"

    static func districts(_ db: isolated Connection) throws {
        _ = try Districts.add(code: districtA, name: "凤凰城街道", builtUp: true, on: db)
        _ = try Districts.add(code: districtB, name: "元宝区街道", builtUp: false, on: db)
    }

    static func request(
        name: String = "张伟", born: String = "1990-01-01", sequence: Int = 123, phone: String = "13812345678",
        district: String = districtA, registeredOn: String? = "2019-03-01"
    ) -> RegistrationRequest {
        RegistrationRequest(name: name, idNumber: id(born: born, sequence: sequence), phone: phone, district: district, registeredOn: registeredOn)
    }

    struct Counts: Equatable, CustomStringConvertible {
        var volunteers = 0, districtRows = 0, deregistrations = 0, corrections = 0
        var description: String { "\(volunteers) volunteers, \(districtRows) district rows, \(deregistrations) deregistrations, \(corrections) corrections" }
    }

    static func counts(_ db: isolated Connection) throws -> Counts {
        let row = try db.query("""
            SELECT (SELECT count(*) FROM volunteer), (SELECT count(*) FROM volunteer_district),
                   (SELECT count(*) FROM volunteer_deregistration), (SELECT count(*) FROM volunteer_correction)
            """).single()
        return Counts(volunteers: try row.decode(0), districtRows: try row.decode(1), deregistrations: try row.decode(2), corrections: try row.decode(3))
    }

    static func today(_ db: isolated Connection) throws -> CalendarDate {
        try Settings.today(timeZone: "Asia/Shanghai", on: db)
    }

    /// The one-line message a user would read for `error`.
    static func message(_ error: any Error) -> String {
        UserMessage.line(for: error)
    }

    /// Runs `body`, which must fail; returns the user's line.
    static func failure(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            try body()
            Issue.record("expected an error", sourceLocation: sourceLocation)
            return ""
        } catch {
            return message(error)
        }
    }

    static func temporaryFile(_ name: String, bytes: [UInt8]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }
}
