import Foundation
import HTTPTypes
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// A NUL character can reach any text field of any request (JSON allows "\u0000"; a URL allows
/// %00), but no PostgreSQL text can hold one and a C string ends at it. Every operation the
/// OpenAPI document lists is fed one, field by field, over an otherwise valid request: the answer
/// is a 4xx with the catalog's code, never a 5xx, and nothing is written. Driven by the document,
/// so an operation added later is probed without touching this file.
struct ControlCharacterTests {
    /// Valid values by field name, so that the NUL, not a missing field, is what the server meets.
    static func validValues(volunteer: String, activity: Int, code: String, last4: String) -> [String: Any] {
        [
            "name": "赵六", "id_number": TestIDNumber.make(sequence: 44), "phone": "13912340044",
            "district": "210682001", "registered_on": "2019-01-01", "to_district": "210682001", "on": "2019-06-01",
            "reason": "核实", "title": "社区清扫", "organiser": "李组织", "starts": "2019-03-01 09:00",
            "ends": "2019-03-01 12:00", "activity": activity, "volunteer": volunteer, "minutes": 60,
            "delta_minutes": -10, "code": code, "phone_last4": last4, "login": "nobody", "password": "wrong",
            "category": "社区服务", "guardian_name": "赵大", "guardian_phone": "13912340045", "note": "备注",
        ]
    }

    @Test func aNULInAnyFieldIsRefusedAsInputAndWritesNothing() async throws {
        try await ServeHarness.with { h, people in
            let admin = try await h.signIn(people.admin)
            let scene = try await CheckinRouteTests.scene(h, admin: admin, sequence: 43)
            let code = try #require(try await h.call(.get, "/api/v1/activities/\(scene.activity)/checkin-code?action=in", token: admin)
                .json["code"] as? String)
            let entry = try await h.call(.post, "/api/v1/hours", token: admin,
                                         json: #"{"activity":\#(scene.activity),"volunteer":"\#(scene.volunteer)","minutes":30}"#)
            let entryID = try #require(entry.json["id"] as? Int, "\(entry.text)")
            let values = Self.validValues(volunteer: scene.volunteer, activity: scene.activity, code: code, last4: CheckinRouteTests.last4(43))

            let owner = try await h.owner()
            let tables = ["volunteer", "volunteer_district", "volunteer_deregistration", "activity", "hours_entry",
                          "hours_decision", "hours_checkin", "hours_checkout", "statement_issue", "web_session"]
            func counts() async throws -> [Int] {
                var all: [Int] = []
                for table in tables { all.append(try await LedgerFixtures.count(owner, table)) }
                return all
            }
            let before = try await counts()

            let document = try #require(try JSONSerialization.jsonObject(with: Data(try await h.call(.get, "/api/v1/openapi.json").text.utf8)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var probed = 0
            for (template, operations) in paths.sorted(by: { $0.key < $1.key }) {
                guard let post = operations["post"] as? [String: Any], template != "/api/v1/sessions/current",
                      let schema = Self.jsonSchema(of: post, in: document),
                      let properties = schema["properties"] as? [String: [String: Any]] else { continue }
                let path = template
                    .replacingOccurrences(of: "{number}", with: scene.volunteer)
                    .replacingOccurrences(of: "{id}", with: template.hasPrefix("/api/v1/hours/") ? String(entryID) : String(scene.activity))
                for (field, property) in properties.sorted(by: { $0.key < $1.key }) where property["type"] as? String == "string" {
                    var body: [String: Any] = [:]
                    for (name, _) in properties { if let value = values[name] { body[name] = value } }
                    body[field] = "\(values[field] as? String ?? "x")\u{0}tail"
                    let json = String(decoding: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)
                    let reply = try await h.call(.post, path, token: admin, json: json, headers: [("Idempotency-Key", "nul-\(probed)")])
                    #expect((400..<500).contains(reply.status.code), "POST \(template) with a NUL in \(field): \(reply.status.code) \(reply.text)")
                    #expect(reply.code != "internal" && !reply.text.contains("\u{0}"), "POST \(template) \(field): \(reply.text)")
                    probed += 1
                }
            }
            #expect(probed >= 25, "the document's write operations were probed (\(probed) fields)")

            for uri in ["/api/v1/volunteers/\(scene.volunteer)%00", "/api/v1/volunteers?q=%E7%8E%8B%00", "/api/v1/hours?volunteer=%00",
                        "/api/v1/activities?district=2106%00", "/api/v1/statements/VS%00/verify", "/api/v1/metrics?year=2019&as_of=2019-12-31%00",
                        "/api/v1/hours/anomalies?year=2019&district=%00"] {
                let reply = try await h.call(.get, uri, token: admin)
                #expect(reply.status.code < 500 && reply.code != "internal", "GET \(uri): \(reply.status.code) \(reply.text)")
            }
            #expect(try await counts() == before, "nothing was written by a refused request")
            await owner.close()
        }
    }

    /// A NUL cannot shorten a password: "secret\0anything" is not "secret".
    @Test func aPasswordWithANULAfterTheRightOneIsRefused() async throws {
        try await ServeHarness.with { h, people in
            let reply = try await h.call(.post, "/api/v1/sessions",
                                         json: #"{"login":"\#(people.admin)","password":"\#(ServeHarness.password)\u0000anything"}"#)
            #expect(reply.status == .unauthorized, "\(reply.status.code) \(reply.text)")
            let login = try await h.call(.post, "/api/v1/sessions",
                                         json: #"{"login":"\#(people.admin)\u0000x","password":"\#(ServeHarness.password)"}"#)
            #expect(login.status == .unauthorized, "\(login.status.code) \(login.text)")
            let owner = try await h.owner()
            #expect(try await LedgerFixtures.count(owner, "web_session") == 0)
            await owner.close()
        }
    }

    static func jsonSchema(of operation: [String: Any], in document: [String: Any]) -> [String: Any]? {
        guard let body = operation["requestBody"] as? [String: Any], let content = body["content"] as? [String: Any],
              let json = content["application/json"] as? [String: Any], var schema = json["schema"] as? [String: Any] else { return nil }
        if let ref = schema["$ref"] as? String {
            var node: Any = document
            for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] as Any }
            schema = node as? [String: Any] ?? [:]
        }
        return schema
    }
}
