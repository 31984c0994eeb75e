import Foundation
import HTTPTypes
import Testing
import VLedgerCore
import VLedgerTestSupport

/// The pages through the router (the browser test, deploy/check-web.sh, does them end to end):
/// Chinese HTML with a policy that keeps the browser on this origin, sign-in by form into a
/// cookie session, form posts that need the session's CSRF token, and refusals shown on a page.
struct WebPageTests {
    static let form = "application/x-www-form-urlencoded"

    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    /// Signs in through the form: the cookie, and the CSRF token the pages put in their forms.
    static func signIn(_ h: ServeHarness, _ login: String) async throws -> (cookie: String, csrf: String) {
        let reply = try await h.call(.post, "/signin", json: encode([("login", login), ("password", ServeHarness.password), ("next", "/activities")]),
                                     contentType: form)
        #expect(reply.status == .seeOther, "\(reply.text)")
        #expect(reply.headers[.location] == "/activities")
        let setCookie = try #require(reply.headers[.setCookie])
        let cookie = String(setCookie.split(separator: ";")[0])
        let page = try await h.call(.get, "/volunteers/new", headers: [("Cookie", cookie)])
        let csrf = try #require(page.text.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression).map { range in
            String(page.text[range]).replacingOccurrences(of: #"name="csrf" value=""#, with: "").dropLast()
        })
        return (cookie, String(csrf))
    }

    @Test func pagesAreChineseHTMLThatLoadNothingFromElsewhere() async throws {
        try await ServeHarness.with { h, people in
            let page = try await h.call(.get, "/signin")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains(#"<html lang="zh-CN">"#))
            #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'self'") == true)
            #expect(!page.text.contains("http://") && !page.text.contains("https://"), "no address elsewhere")
            let away = try await h.call(.get, "/activities")
            #expect(away.status == .seeOther)
            #expect(away.headers[.location]?.hasPrefix("/signin?next=") == true)

            let (cookie, _) = try await Self.signIn(h, people.admin)
            let activities = try await h.call(.get, "/activities", headers: [("Cookie", cookie)])
            #expect(activities.status == .ok)
            #expect(activities.text.contains(people.admin) && activities.text.contains("管理员"), "who is signed in and their role")
        }
    }

    @Test func aWrongPasswordKeepsTheLoginAndSaysWhy() async throws {
        try await ServeHarness.with { h, people in
            let reply = try await h.call(.post, "/signin", json: Self.encode([("login", people.staff), ("password", "wrong")]), contentType: Self.form)
            #expect(reply.status == .unauthorized)
            #expect(reply.text.contains(#"value="\#(people.staff)""#))
            #expect(reply.text.contains(Catalog.text("error.signin_failed", in: .zh)))
            #expect(reply.headers[.setCookie] == nil)
        }
    }

    @Test func formPostsNeedTheSessionsCSRFTokenAndRefusalsStayOnThePage() async throws {
        try await ServeHarness.with { h, people in
            let (cookie, csrf) = try await Self.signIn(h, people.staff)
            let id = TestIDNumber.make(sequence: 31)
            var fields = [("name", "李小红"), ("id_number", id), ("phone", "13800001111"), ("district", "210682001")]
            let forged = try await h.call(.post, "/volunteers/new", json: Self.encode(fields + [("csrf", "x")]), headers: [("Cookie", cookie)],
                                          contentType: Self.form)
            #expect(forged.status == .forbidden)
            #expect(forged.headers[.contentType]?.hasPrefix("text/html") == true, "a page, not the API's JSON")
            let owner = try await h.owner()
            #expect(try await LedgerFixtures.count(owner, "volunteer") == 0)

            let wrongDigit = String(id.dropLast()) + (id.last == "0" ? "1" : "0")
            let refused = try await h.call(.post, "/volunteers/new", json: Self.encode([("name", "李小红"), ("id_number", wrongDigit), ("phone", "13800001111"),
                                                                                        ("district", "210682001"), ("csrf", csrf)]),
                                           headers: [("Cookie", cookie)], contentType: Self.form)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.range(of: #"id="id_number-error" aria-live="polite">[^<]+</p>"#, options: .regularExpression) != nil,
                    "the message next to the field")
            #expect(refused.text.contains(#"value="李小红""#), "what was typed is kept")
            #expect(try await LedgerFixtures.count(owner, "volunteer") == 0)

            fields.append(("csrf", csrf))
            let done = try await h.call(.post, "/volunteers/new", json: Self.encode(fields), headers: [("Cookie", cookie)], contentType: Self.form)
            #expect(done.status == .ok, "\(done.text)")
            #expect(done.text.contains("已登记"))
            #expect(try await LedgerFixtures.count(owner, "volunteer") == 1)
            await owner.close()
        }
    }
}
