import Foundation
import HTTPTypes
import Hummingbird
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerHTTP
import VLedgerTestSupport

/// `vledger serve` through its router, against the real PostgreSQL: every request acts as the
/// signed-in person (SET LOCAL ROLE), so the database's grants and rules decide.
struct ServeTests {
    @Test func contractRoutesWorkAndRetriesWithTheSameKeyAddNothing() async throws {
        try await ServeHarness.with { h, people in
            let admin = try await h.signIn(people.admin)
            let id = TestIDNumber.make(sequence: 7)
            let registered = try await h.call(.post, "/api/v1/volunteers", token: admin,
                                              json: #"{"name":"王五","id_number":"\#(id)","phone":"13912345678","district":"210682001","registered_on":"2019-01-01"}"#)
            #expect(registered.status == .created, "\(registered.text)")
            let number = try #require(registered.json["number"] as? String)

            let activity = try await h.call(.post, "/api/v1/activities", token: admin,
                                            json: #"{"title":"社区清扫","district":"210682001","organiser":"李组织","starts":"2019-03-01 09:00","ends":"2019-03-01 12:00"}"#)
            #expect(activity.status == .created, "\(activity.text)")
            let activityID = try #require(activity.json["id"] as? Int)

            let hours = #"{"activity":\#(activityID),"volunteer":"\#(number)","minutes":120}"#
            let first = try await h.call(.post, "/api/v1/hours", token: admin, json: hours, headers: [("Idempotency-Key", "req-1")])
            #expect(first.status == .created, "\(first.text)")
            let again = try await h.call(.post, "/api/v1/hours", token: admin, json: hours, headers: [("Idempotency-Key", "req-1")])
            #expect(again.status == .ok)
            #expect(again.json["id"] as? Int == first.json["id"] as? Int)
            let owner = try await h.owner()
            #expect(try await LedgerFixtures.count(owner, "hours_entry") == 1)
            let entry = try #require(first.json["id"] as? Int)
            let recordedBy: String = try await owner.query("SELECT recorded_by FROM hours_entry WHERE id = \(Int64(entry))").single().decode(0)
            #expect(recordedBy == people.admin, "the actor is the person, not the service login")

            // Another admin approves (nobody approves their own entry).
            let admin2 = try await h.signIn(people.admin2)
            let approved = try await h.call(.post, "/api/v1/hours/\(entry)/approve", token: admin2)
            #expect(approved.status == .ok, "\(approved.text)")
            #expect(approved.json["status"] as? String == "approved")
            let corrected = try await h.call(.post, "/api/v1/hours/\(entry)/corrections", token: admin,
                                             json: #"{"delta_minutes":-30,"reason":"早退"}"#)
            #expect(corrected.status == .created, "\(corrected.text)")
            let correction = try #require(corrected.json["id"] as? Int)
            let rejected = try await h.call(.post, "/api/v1/hours/\(correction)/reject", token: admin2, json: #"{"reason":"不属实"}"#)
            #expect(rejected.status == .ok, "\(rejected.text)")

            // Metrics: byte for byte the CLI's renderer over the same request.
            let metrics = try await h.call(.get, "/api/v1/metrics?year=2019", token: admin)
            #expect(metrics.status == .ok)
            let expected = try await MetricsService.run(try MetricsRequest(year: 2019), on: owner).json.rendered() + "\n"
            #expect(metrics.text == expected)

            for path in ["/api/v1/volunteers", "/api/v1/volunteers/\(number)", "/api/v1/districts", "/api/v1/populations",
                         "/api/v1/activities", "/api/v1/activities/\(activityID)", "/api/v1/hours", "/api/v1/hours/anomalies?year=2019"] {
                let reply = try await h.call(.get, path, token: admin)
                #expect(reply.status == .ok, "\(path): \(reply.text)")
            }
            let listed = try await h.call(.get, "/api/v1/volunteers?limit=1", token: admin)
            #expect(!listed.text.contains(id), "listings mask ID numbers")

            let statement = try await h.call(.post, "/api/v1/statements", token: admin, json: #"{"volunteer":"\#(number)"}"#)
            #expect(statement.status == .created, "\(statement.text)")
            let statementNumber = try #require(statement.json["statement_number"] as? String)
            let verified = try await h.call(.get, "/api/v1/statements/\(statementNumber)/verify")
            #expect(verified.status == .ok, "\(verified.text)")
            #expect(verified.json["valid"] as? Bool == true)
            #expect(try await h.call(.get, "/api/v1/statements/\(statementNumber)", token: admin).status == .ok)
            #expect(try await h.call(.get, "/api/v1/statements/NOPE-1/verify").status == .notFound)

            let openapi = try await h.call(.get, "/api/v1/openapi.json")
            #expect(openapi.json["openapi"] as? String == "3.1.0")
            #expect(try await h.call(.get, "/healthz").status == .ok)
            let prometheus = try await h.call(.get, "/metrics")
            #expect(prometheus.text.contains("vledger_http_requests_total"))
            await owner.close()

            // No personal data and no secrets in the log.
            let log = h.log.lines.joined(separator: "\n")
            #expect(!log.isEmpty)
            for secret in [id, "13912345678", admin, ServeHarness.password, number] {
                #expect(!log.contains(secret), "the log holds \(secret)")
            }
        }
    }

    @Test func eachRoleIsRefusedThroughHTTPAsThroughPsql() async throws {
        try await ServeHarness.with { h, people in
            let staff = try await h.signIn(people.staff)
            let organiser = try await h.signIn(people.organiser)
            let office = try await h.signIn(people.office)
            // Staff may not create activities; organisers may not register volunteers; the office
            // records no hours. The same statements as the logins themselves, in plain SQL:
            let activity = #"{"title":"t","district":"210682001","organiser":"x","starts":"2019-03-01 09:00","ends":"2019-03-01 10:00"}"#
            let refusedActivity = try await h.call(.post, "/api/v1/activities", token: staff, json: activity)
            #expect(refusedActivity.status == .forbidden, "\(refusedActivity.text)")
            let volunteer = #"{"name":"赵六","id_number":"\#(TestIDNumber.make(sequence: 9))","phone":"13912345679","district":"210682001"}"#
            let refusedVolunteer = try await h.call(.post, "/api/v1/volunteers", token: organiser, json: volunteer)
            #expect(refusedVolunteer.status == .forbidden, "\(refusedVolunteer.text)")
            let owner = try await h.owner()
            let activityID = try await LedgerFixtures.activity(owner)
            let someone = try await LedgerFixtures.volunteer(owner)
            let refusedHours = try await h.call(.post, "/api/v1/hours", token: office,
                                                json: #"{"activity":\#(activityID),"volunteer":"\#(someone.number)","minutes":60}"#)
            #expect(refusedHours.status == .forbidden, "\(refusedHours.text)")

            for (login, sql) in [(people.staff, "INSERT INTO activity (title, district_code, organiser, starts_at, ends_at) VALUES ('t', '210682001', 'x', now(), now() + interval '1 h')"),
                                 (people.office, "INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes) VALUES (\(someone.id), \(activityID), now(), 60)")] {
                let direct = try await h.logins.connect(as: login)
                await #expect(throws: PostgresError.self) { try await direct.executeScript(unsafeSQL: sql) }
                await direct.close()
            }
            #expect(try await LedgerFixtures.count(owner, "activity") == 1)
            #expect(try await LedgerFixtures.count(owner, "hours_entry") == 0)
            await owner.close()
        }
    }

    @Test func signInNeedsTheRightPasswordAndIsRateLimited() async throws {
        let settings = ServeSettings(signInLimits: .init(perLogin: 2, perAddress: 100, window: 3600))
        try await ServeHarness.with(settings: settings) { h, people in
            let wrong = try await h.call(.post, "/api/v1/sessions", json: #"{"login":"\#(people.office)","password":"nope"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.code == "signin_failed")
            #expect(wrong.json["message"] as? String == "登录名或密码错误", "zh by default")
            let english = try await h.call(.post, "/api/v1/sessions", json: #"{"login":"\#(people.office)","password":"nope"}"#,
                                           headers: [("Accept-Language", "en-US,en;q=0.9")])
            #expect(english.json["message"] as? String == "wrong login or password")
            let limited = try await h.call(.post, "/api/v1/sessions", json: #"{"login":"\#(people.office)","password":"\#(ServeHarness.password)"}"#)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            // Another login is not limited by these failures.
            _ = try await h.signIn(people.staff)
            let none = try await h.call(.get, "/api/v1/districts")
            #expect(none.status == .unauthorized)
        }
    }

    @Test func aPathThatDoesNotAskForPasswordsGrantsNoSession() async throws {
        try await ServeHarness.with(signInOnTrustPath: true) { h, people in
            let reply = try await h.call(.post, "/api/v1/sessions", json: #"{"login":"\#(people.admin)","password":"anything"}"#)
            #expect(reply.status == .unauthorized)
            #expect(reply.code == "signin_not_checked")
        }
        // And the check itself: on the trust path the server never asked.
        try await TestDatabase.with { database in
            let path = try ServeHarness.signInPath(database, trust: true)
            #expect(Connection.checkPassword(path, user: "postgres", password: "whatever") == .notAsked)
        }
    }

    @Test func signOutRevocationAndExpiryEndTheSession() async throws {
        try await ServeHarness.with(settings: ServeSettings(sessionLifetimeSeconds: 2)) { h, people in
            let token = try await h.signIn(people.office)
            #expect(try await h.call(.get, "/api/v1/districts", token: token).status == .ok)
            try await waitUntil("the two-second session expired") {
                try await h.call(.get, "/api/v1/districts", token: token).status == .unauthorized
            }
        }
        try await ServeHarness.with { h, people in
            let token = try await h.signIn(people.office)
            #expect(try await h.call(.delete, "/api/v1/sessions/current", token: token).status == .noContent)
            let after = try await h.call(.get, "/api/v1/districts", token: token)
            #expect(after.status == .unauthorized)
            #expect(after.code == "session_invalid")

            let other = try await h.signIn(people.office)
            let admin = try await h.logins.connect(as: people.admin)
            let sessions = try await LedgerSession(admin).read { db in try WebSessions.list(on: db) }
            let live = try #require(sessions.first { $0.live && $0.login == people.office })
            try await LedgerSession(admin).write { db in _ = try WebSessions.revoke(id: live.id, on: db) }
            #expect(try await h.call(.get, "/api/v1/districts", token: other).status == .unauthorized)
            // Only admins list sessions, and never see a hash.
            let office = try await h.logins.connect(as: people.office)
            await #expect(throws: PostgresError.self) { try await LedgerSession(office).read { db in try WebSessions.list(on: db) } }
            await #expect(throws: PostgresError.self) { try await office.execute("SELECT token_hash FROM web_session") }
            await office.close()
            await admin.close()
        }
    }

    @Test func cookieSessionsNeedTheCSRFTokenForWrites() async throws {
        try await ServeHarness.with { h, people in
            let signIn = try await h.call(.post, "/api/v1/sessions", json: #"{"login":"\#(people.admin)","password":"\#(ServeHarness.password)"}"#)
            let cookie = try #require(signIn.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let token = try #require(signIn.json["token"] as? String)
            let csrf = try #require(signIn.json["csrf_token"] as? String)
            let activity = #"{"title":"t","district":"210682001","organiser":"x","starts":"2019-03-01 09:00","ends":"2019-03-01 10:00"}"#
            let read = try await h.call(.get, "/api/v1/districts", headers: [("Cookie", "vledger_session=\(token)")])
            #expect(read.status == .ok)
            let refused = try await h.call(.post, "/api/v1/activities", json: activity, headers: [("Cookie", "vledger_session=\(token)")])
            #expect(refused.status == .forbidden)
            #expect(refused.code == "csrf")
            let wrong = try await h.call(.post, "/api/v1/activities", json: activity,
                                         headers: [("Cookie", "vledger_session=\(token)"), ("X-CSRF-Token", String(csrf.reversed()))])
            #expect(wrong.status == .forbidden)
            let owner = try await h.owner()
            #expect(try await LedgerFixtures.count(owner, "activity") == 0)
            let accepted = try await h.call(.post, "/api/v1/activities", json: activity,
                                            headers: [("Cookie", "vledger_session=\(token)"), ("X-CSRF-Token", csrf)])
            #expect(accepted.status == .created, "\(accepted.text)")
            await owner.close()
        }
    }

    @Test func badBodiesAreRefusedWithTheirStatus() async throws {
        try await ServeHarness.with { h, people in
            let token = try await h.signIn(people.admin)
            let malformed = try await h.call(.post, "/api/v1/activities", token: token, json: "{not json")
            #expect(malformed.status == .badRequest)
            #expect(malformed.code == "malformed_json")
            #expect(Set(malformed.json.keys) == ["code", "field", "message"])
            let wrongType = try await h.call(.post, "/api/v1/activities", token: token, json: "{}", contentType: "text/plain")
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.code == "wrong_content_type")
            let big = #"{"title":""# + String(repeating: "x", count: JSONBody.limit + 10) + #""}"#
            let oversized = try await h.call(.post, "/api/v1/activities", token: token, json: big)
            #expect(oversized.status == .contentTooLarge)
            let missing = try await h.call(.post, "/api/v1/hours/1/reject", token: token, json: "{}")
            #expect(missing.status == .unprocessableContent)
            #expect(missing.json["field"] as? String == "reason")
            let typed = try await h.call(.post, "/api/v1/hours", token: token, json: #"{"activity":1,"volunteer":"x","minutes":"sixty"}"#)
            #expect(typed.status == .unprocessableContent)
            #expect(typed.json["field"] as? String == "minutes")
            let rule = try await h.call(.post, "/api/v1/activities", token: token,
                                        json: #"{"title":"t","district":"210682001","organiser":"x","starts":"2019-03-01 10:00","ends":"2019-03-01 09:00"}"#)
            #expect(rule.status == .unprocessableContent, "\(rule.text)")
            #expect(!rule.text.contains("INSERT"), "no SQL in an error")
            let unknown = try await h.call(.get, "/api/v1/nothing", token: token)
            #expect(unknown.status == .notFound)
            let owner = try await h.owner()
            #expect(try await LedgerFixtures.count(owner, "activity") == 0)
            await owner.close()
        }
    }

    @Test func twoConcurrentRequestsWithOneKeyWriteOneRow() async throws {
        try await ServeHarness.with { h, people in
            let token = try await h.signIn(people.admin)
            let owner = try await h.owner()
            let activity = try await LedgerFixtures.activity(owner)
            let volunteer = try await LedgerFixtures.volunteer(owner)
            let body = #"{"activity":\#(activity),"volunteer":"\#(volunteer.number)","minutes":60}"#
            let replies = try await withThrowingTaskGroup(of: ServeHarness.Reply.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await h.call(.post, "/api/v1/hours", token: token, json: body, headers: [("Idempotency-Key", "same-key")]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(replies.map(\.status)) == [.created, .ok], "\(replies.map(\.text))")
            #expect(Set(replies.compactMap { $0.json["id"] as? Int }).count == 1)
            #expect(try await owner.query("SELECT count(*) FROM hours_entry WHERE request_id = 'same-key'").single().decode(0, as: Int.self) == 1)
            await owner.close()
        }
    }

    @Test func adminsListAndRevokeSessionsWithTheCLIAndNeverSeeTokens() async throws {
        try await ServeHarness.with { h, people in
            let token = try await h.signIn(people.office)
            let asAdmin = ["VLEDGER_DATABASE_URL": try await h.logins.connectionString(as: people.admin)]
            let listed = try await CLIRunner.run(["user", "sessions", "--format", "json"], database: nil, environment: asAdmin)
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(listed.stdout.contains(people.office))
            #expect(!listed.stdout.contains(token) && !listed.stdout.contains(SessionTokens.hashHex(token)))
            let sessions = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            let id = try #require(sessions.first { $0["login"] as? String == people.office }?["id"] as? Int)

            let asOffice = ["VLEDGER_DATABASE_URL": try await h.logins.connectionString(as: people.office)]
            let refused = try await CLIRunner.run(["user", "sessions"], database: nil, environment: asOffice)
            #expect(refused.status != 0)

            let revoked = try await CLIRunner.run(["user", "sessions", "--revoke", String(id)], database: nil, environment: asAdmin)
            #expect(revoked.status == 0, "\(revoked.stderr)")
            #expect(try await h.call(.get, "/api/v1/districts", token: token).status == .unauthorized)
        }
    }

    @Test func aClientThatStopsSendingIsDisconnected() async throws {
        try await ServeHarness.with(live: true) { h, _ in
            let port = try #require(h.client.port)
            // Half a request: the headers promise a body that never comes.
            let closed = try await SlowClient.sendAndReadUntilClosed(
                port: port, "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            #expect(closed, "the server closed the idle connection")
            // The server still answers others (on a new connection: the test client's own went idle too).
            let answer = try await SlowClient.exchange(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        }
    }

    @Test func behindTheProxyFailuresAreCountedPerClientAddress() async throws {
        let settings = ServeSettings(signInLimits: .init(perLogin: 100, perAddress: 2, window: 3600), trustProxyAddress: true)
        try await ServeHarness.with(settings: settings) { h, people in
            for login in [people.office, people.staff] {
                let reply = try await h.call(.post, "/api/v1/sessions", json: #"{"login":"\#(login)","password":"nope"}"#,
                                             headers: [("X-Real-IP", "10.0.0.7")])
                #expect(reply.status == .unauthorized)
            }
            let limited = try await h.call(.post, "/api/v1/sessions", json: #"{"login":"\#(people.admin)","password":"\#(ServeHarness.password)"}"#,
                                           headers: [("X-Real-IP", "10.0.0.7")])
            #expect(limited.status == .tooManyRequests)
            let other = try await h.call(.post, "/api/v1/sessions", json: #"{"login":"\#(people.admin)","password":"\#(ServeHarness.password)"}"#,
                                         headers: [("X-Real-IP", "10.0.0.8")])
            #expect(other.status == .created)
        }
    }

    @Test func aVolunteerIsShownMaskedUnlessThePersonMayReadIt() async throws {
        try await ServeHarness.with { h, people in
            let owner = try await h.owner()
            let volunteer = try await LedgerFixtures.volunteer(owner)
            await owner.close()
            let admin = try await h.call(.get, "/api/v1/volunteers/\(volunteer.number)", token: try await h.signIn(people.admin))
            #expect(admin.status == .ok, "\(admin.text)")
            #expect(admin.json["id_number"] as? String == volunteer.idNumber)
            let office = try await h.call(.get, "/api/v1/volunteers/\(volunteer.number)", token: try await h.signIn(people.office))
            #expect(office.status == .ok, "\(office.text)")
            #expect(office.json["id_number"] as? String != volunteer.idNumber)
            #expect(!office.text.contains(volunteer.idNumber) && !office.text.contains("13800000000"))
        }
    }

    /// A lookup by ID number asks on a session of its own (so that a miss stays counted): through
    /// HTTP that session must act as the person too, or the lookup is the service login's and its
    /// answer is refused to the person.
    @Test func lookupsByIDNumberAreThePersonsAndCountedAgainstThem() async throws {
        try await ServeHarness.with { h, people in
            let owner = try await h.owner()
            let volunteer = try await LedgerFixtures.volunteer(owner)
            for (who, token) in [(people.staff, try await h.signIn(people.staff)), (people.office, try await h.signIn(people.office))] {
                let found = try await h.call(.get, "/api/v1/volunteers/\(volunteer.idNumber)", token: token)
                #expect(found.status == .ok, "\(who): \(found.text)")
                #expect(found.json["number"] as? String == volunteer.number)
                let missing = TestIDNumber.make(sequence: 777)
                let missed = try await h.call(.get, "/api/v1/volunteers/\(missing)", token: token)
                #expect(missed.status == .unprocessableContent, "\(who): \(missed.text)")
                #expect(missed.code == "volunteer_exists")
                #expect(!missed.text.contains(missing))
                let counted: Int = try await owner.query("""
                    SELECT coalesce(sum(a.counted), 0)::int FROM id_lookup l JOIN id_lookup_answer a ON a.lookup_id = l.id
                     WHERE l.recorded_by = \(who)
                    """).single().decode(0)
                #expect(counted == 1, "the miss is counted against the person: \(who)")
            }
            let service: Int = try await owner.query("""
                SELECT count(*)::int FROM id_lookup l WHERE l.recorded_by NOT IN (SELECT login FROM app_user)
                """).single().decode(0)
            #expect(service == 0, "no lookup is the service login's")
            await owner.close()
        }
    }
}
