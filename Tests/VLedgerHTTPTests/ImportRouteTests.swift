import Foundation
import HTTPTypes
import NIOCore
import Testing
import VLedgerCore
import VLedgerTestSupport

/// `POST /api/v1/volunteers/import` (issue 13): a spreadsheet body (CSV or xlsx, up to 50 MB
/// while other bodies stay ≤ 1 MB), the CLI's per-row report, the rejects for the uploader only.
struct ImportRouteTests {

    static func upload(_ h: ServeHarness, _ uri: String, _ bytes: [UInt8], type: String, headers extra: [(String, String)] = []) async throws -> ServeHarness.Reply {
        var headers = HTTPFields()
        headers[.contentType] = type
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        let response = try await h.client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
        return ServeHarness.Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    static func csv(_ rows: [String]) -> [UInt8] {
        Array(("name,id_number,phone,district_code,registered_on\r\n" + rows.joined(separator: "\r\n") + "\r\n").utf8)
    }

    @Test func anUploadGivesTheCLIsReportAndItsRejectsOnlyToTheUploader() async throws {
        try await ServeHarness.with { h, people in
            let staff = try await h.signIn(people.staff)
            let body = Self.csv([
                "王一,\(TestIDNumber.make(sequence: 41)),13800000001,210682001,2024-01-02",
                "王二,\(TestIDNumber.make(sequence: 42)),13800000002,210682001,2024-01-02",
                "王三,123,13800000003,210682001,2024-01-02",
            ])
            let bearer = [("Authorization", "Bearer \(staff)")]
            let refused = try await Self.upload(h, "/api/v1/volunteers/import?file=%E5%90%8D%E5%8D%95.csv", body, type: "text/csv", headers: bearer)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.code == "import_rejected")
            let report = try #require(refused.json["report"] as? [String: Any])
            #expect(report["written"] as? Bool == false && report["file"] as? String == "名单.csv")
            let problems = try #require(report["problems"] as? [[String: Any]])
            #expect(problems.count == 1 && problems[0]["line"] as? Int == 4 && problems[0]["field"] as? String == "id_number")
            let owner = try await h.owner()
            #expect(try await LedgerFixtures.count(owner, "volunteer") == 0, "one bad row: nothing written")

            let applied = try await Self.upload(h, "/api/v1/volunteers/import?skip_bad=true&file=%E5%90%8D%E5%8D%95.csv", body, type: "text/csv; charset=utf-8", headers: bearer)
            #expect(applied.status == .ok, "\(applied.text)")
            #expect(applied.json["applied"] as? Int == 2 && applied.json["bad_rows"] as? Int == 1 && applied.json["written"] as? Bool == true)
            #expect(try await LedgerFixtures.count(owner, "volunteer") == 2)
            let rejects = try #require(applied.json["rejects_file"] as? String)
            #expect(rejects.hasPrefix("/api/v1/volunteers/import/rejects/"))
            let file = try await h.call(.get, rejects, token: staff)
            #expect(file.status == .ok)
            #expect(file.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(file.text.contains("王三,123,") && file.text.contains("line 4:"), "\(file.text)")
            #expect(file.headers[.contentDisposition]?.contains("rejects.csv") == true)
            let other = try await h.call(.get, rejects, token: try await h.signIn(people.admin))
            #expect(other.status == .notFound, "another session does not get them")

            // The same file again: the two already there are counted as present, nothing doubled.
            let twice = try await Self.upload(h, "/api/v1/volunteers/import?skip_bad=true", body, type: "text/csv", headers: bearer)
            #expect(twice.json["already_present"] as? Int == 2 && twice.json["applied"] as? Int == 0)
            #expect(try await LedgerFixtures.count(owner, "volunteer") == 2)
            await owner.close()
        }
    }

    @Test func anXLSXWorkbookIsReadByItsFirstSheet() async throws {
        try await ServeHarness.with { h, people in
            let staff = try await h.signIn(people.staff)
            let reply = try await Self.upload(h, "/api/v1/volunteers/import?skip_bad=true&file=book.xlsx", ImportFixtures.workbook,
                                              type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                              headers: [("Authorization", "Bearer \(staff)")])
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["rows"] as? Int == 2 && reply.json["applied"] as? Int == 1)
            let problems = try #require(reply.json["problems"] as? [[String: Any]])
            #expect(problems.allSatisfy { $0["line"] as? Int == 4 }, "lines are the sheet's row numbers")
            let owner = try await h.owner()
            let row = try await owner.query("SELECT name, phone, registered_on::text FROM volunteer WHERE id_number = \(ImportFixtures.workbookID)").single()
            #expect(try row.decode(0, as: String.self) == "张三")
            #expect(try row.decode(1, as: String.self) == "13800001111")
            #expect(try row.decode(2, as: String.self) == "2020-01-02", "a date cell is its day, not its serial number")
            await owner.close()
        }
    }

    @Test func rolesThatMayNotRegisterAreRefusedAndNothingIsWritten() async throws {
        try await ServeHarness.with { h, people in
            let body = Self.csv(["王一,\(TestIDNumber.make(sequence: 51)),13800000001,210682001,2024-01-02"])
            for login in [people.organiser, people.office] {
                let token = try await h.signIn(login)
                let reply = try await Self.upload(h, "/api/v1/volunteers/import", body, type: "text/csv", headers: [("Authorization", "Bearer \(token)")])
                #expect(reply.status == .forbidden, "\(login): \(reply.text)")
            }
            let anonymous = try await Self.upload(h, "/api/v1/volunteers/import", body, type: "text/csv")
            #expect(anonymous.status == .unauthorized)
            let owner = try await h.owner()
            #expect(try await LedgerFixtures.count(owner, "volunteer") == 0)
            await owner.close()
        }
    }

    @Test func badUploadsAreRefusedWithTheirStatus() async throws {
        try await ServeHarness.with { h, people in
            let staff = try await h.signIn(people.staff)
            let bearer = [("Authorization", "Bearer \(staff)")]
            let json = try await Self.upload(h, "/api/v1/volunteers/import", Array("{}".utf8), type: "application/json", headers: bearer)
            #expect(json.status == .badRequest && json.code == "import_content_type")
            let flag = try await Self.upload(h, "/api/v1/volunteers/import?skip_bad=perhaps", Self.csv([]), type: "text/csv", headers: bearer)
            #expect(flag.status == .unprocessableContent && flag.json["field"] as? String == "skip_bad")
            let columns = try await Self.upload(h, "/api/v1/volunteers/import", Array("name,phone\r\n".utf8), type: "text/csv", headers: bearer)
            #expect(columns.status == .unprocessableContent, "\(columns.text)")
            let broken = try await Self.upload(h, "/api/v1/volunteers/import", [0x50, 0x4B, 0x03, 0x04, 1, 2, 3], type: "application/octet-stream", headers: bearer)
            #expect(broken.status == .unprocessableContent && broken.code == "xlsx_unreadable", "\(broken.text)")

            // Over 1 MB is fine for an import (here a bad row, not a refused body) …
            let long = Self.csv(["\(String(repeating: "长", count: 400_000)),\(TestIDNumber.make(sequence: 61)),13800000001,210682001,2024-01-02"])
            #expect(long.count > 1_048_576)
            let big = try await Self.upload(h, "/api/v1/volunteers/import", long, type: "text/csv", headers: bearer)
            #expect(big.status == .unprocessableContent && big.code == "import_rejected", "\(big.text.prefix(300))")
            // … where a JSON body of that size is refused, and an import over 50 MB too.
            let volunteer = try await Self.upload(h, "/api/v1/volunteers", long, type: "application/json", headers: bearer)
            #expect(volunteer.status == .contentTooLarge)
            let huge = try await Self.upload(h, "/api/v1/volunteers/import", [UInt8](repeating: 0x41, count: VolunteerImport.uploadLimit + 1),
                                             type: "text/csv", headers: bearer)
            #expect(huge.status == .contentTooLarge && huge.code == "body_too_large")
            let owner = try await h.owner()
            #expect(try await LedgerFixtures.count(owner, "volunteer") == 0)
            await owner.close()
        }
    }
}
