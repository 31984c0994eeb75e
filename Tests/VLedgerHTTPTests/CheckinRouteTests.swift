import Foundation
import HTTPTypes
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// The check-in routes of SPEC's HTTP contract: the organiser's code, the volunteer's own
/// check-in and check-out without a session, and the refusals with their statuses.
struct CheckinRouteTests {
    /// An activity going on now (an hour ago to an hour from now), created by the admin, and a
    /// volunteer whose phone ends 5678.
    struct Scene {
        let activity: Int
        let volunteer: String
    }

    static func scene(_ h: ServeHarness, admin: String, sequence: Int = 21) async throws -> Scene {
        let id = TestIDNumber.make(sequence: sequence)
        let registered = try await h.call(.post, "/api/v1/volunteers", token: admin,
                                          json: #"{"name":"王五","id_number":"\#(id)","phone":"1391234\#(5678 + sequence % 1000)","district":"210682001","registered_on":"2019-01-01"}"#)
        let number = try #require(registered.json["number"] as? String, "\(registered.text)")
        let starts = CityTime.text(Date().addingTimeInterval(-3600)).prefix(16)
        let ends = CityTime.text(Date().addingTimeInterval(3600)).prefix(16)
        let activity = try await h.call(.post, "/api/v1/activities", token: admin,
                                        json: #"{"title":"扫码签到","district":"210682001","organiser":"李组织","starts":"\#(starts)","ends":"\#(ends)"}"#)
        return Scene(activity: try #require(activity.json["id"] as? Int, "\(activity.text)"), volunteer: number)
    }

    static func last4(_ sequence: Int = 21) -> String { String(5678 + sequence % 1000) }

    /// A 6-digit code that is not `code`.
    static func wrong(_ code: String) -> String { String(format: "%06d", (Int(code)! + 500_001) % 1_000_000) }

    @Test func theOrganiserGetsTheCodeAndTheVolunteerChecksInAndOutWithoutASession() async throws {
        try await ServeHarness.with { h, people in
            let admin = try await h.signIn(people.admin)
            let scene = try await Self.scene(h, admin: admin)
            let codeIn = try await h.call(.get, "/api/v1/activities/\(scene.activity)/checkin-code?action=in", token: admin)
            #expect(codeIn.status == .ok, "\(codeIn.text)")
            let code = try #require(codeIn.json["code"] as? String)
            #expect(code.count == 6 && code.allSatisfy(\.isNumber))
            #expect(codeIn.json["action"] as? String == "in")
            #expect(codeIn.json["valid_until"] is String)

            let body = #"{"volunteer":"\#(scene.volunteer)","phone_last4":"\#(Self.last4())","code":"\#(code)"}"#
            let checkedIn = try await h.call(.post, "/api/v1/activities/\(scene.activity)/checkins", json: body)
            #expect(checkedIn.status == .created, "\(checkedIn.text)")
            #expect(checkedIn.json["action"] as? String == "in")
            let again = try await h.call(.post, "/api/v1/activities/\(scene.activity)/checkins", json: body)
            #expect(again.status == .unprocessableContent, "a code works once per volunteer per action: \(again.text)")

            let codeOut = try await h.call(.get, "/api/v1/activities/\(scene.activity)/checkin-code?action=out", token: admin)
            let out = try #require(codeOut.json["code"] as? String)
            let checkedOut = try await h.call(.post, "/api/v1/activities/\(scene.activity)/checkouts",
                                              json: #"{"volunteer":"\#(scene.volunteer)","phone_last4":"\#(Self.last4())","code":"\#(out)"}"#)
            #expect(checkedOut.status == .created, "\(checkedOut.text)")
            #expect(checkedOut.json["action"] as? String == "out")

            let owner = try await h.owner()
            let row = try await owner.query("SELECT count(*), count(*) FILTER (WHERE source = 'code') FROM hours_checkin").single()
            #expect(try row.decode(0, as: Int64.self) == 1)
            #expect(try row.decode(1, as: Int64.self) == 1)
            await owner.close()
        }
    }

    @Test func refusalsHaveTheirStatuses() async throws {
        try await ServeHarness.with { h, people in
            let admin = try await h.signIn(people.admin)
            let scene = try await Self.scene(h, admin: admin)
            let organiser = try await h.signIn(people.organiser)
            let notTheirs = try await h.call(.get, "/api/v1/activities/\(scene.activity)/checkin-code?action=in", token: organiser)
            #expect(notTheirs.status == .forbidden, "\(notTheirs.text)")
            #expect(notTheirs.code == "checkin_code_organiser")
            let noSession = try await h.call(.get, "/api/v1/activities/\(scene.activity)/checkin-code?action=in")
            #expect(noSession.status == .unauthorized)
            let badAction = try await h.call(.get, "/api/v1/activities/\(scene.activity)/checkin-code?action=sideways", token: admin)
            #expect(badAction.status == .unprocessableContent, "\(badAction.text)")
            #expect(badAction.json["field"] as? String == "action")
            let unknownCode = try await h.call(.get, "/api/v1/activities/999999/checkin-code?action=in", token: admin)
            #expect(unknownCode.status == .notFound, "\(unknownCode.text)")

            let code = try #require(try await h.call(.get, "/api/v1/activities/\(scene.activity)/checkin-code?action=in", token: admin).json["code"] as? String)
            let unknown = try await h.call(.post, "/api/v1/activities/999999/checkins",
                                           json: #"{"volunteer":"\#(scene.volunteer)","phone_last4":"\#(Self.last4())","code":"\#(code)"}"#)
            #expect(unknown.status == .notFound, "\(unknown.text)")
            let badFormat = try await h.call(.post, "/api/v1/activities/\(scene.activity)/checkins",
                                             json: #"{"volunteer":"\#(scene.volunteer)","phone_last4":"56","code":"\#(code)"}"#)
            #expect(badFormat.status == .unprocessableContent)
            #expect(badFormat.json["field"] as? String == "phone_last4")

            let wrongBody = #"{"volunteer":"\#(scene.volunteer)","phone_last4":"\#(Self.last4())","code":"\#(Self.wrong(code))"}"#
            for _ in 0..<5 {
                let wrong = try await h.call(.post, "/api/v1/activities/\(scene.activity)/checkins", json: wrongBody)
                #expect(wrong.status == .unprocessableContent, "\(wrong.text)")
                #expect(wrong.code == "checkin_code_wrong")
            }
            // Locked now, even with the right code.
            let locked = try await h.call(.post, "/api/v1/activities/\(scene.activity)/checkins",
                                          json: #"{"volunteer":"\#(scene.volunteer)","phone_last4":"\#(Self.last4())","code":"\#(code)"}"#)
            #expect(locked.status == .tooManyRequests, "\(locked.text)")
            #expect(locked.code == "checkin_locked")
            let owner = try await h.owner()
            #expect(try await LedgerFixtures.count(owner, "hours_checkin") == 0, "nothing recorded by a refused try")
            await owner.close()
        }
    }
}
