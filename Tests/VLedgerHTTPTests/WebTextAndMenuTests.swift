import Foundation
import HTTPTypes
import Testing
@testable import VLedgerHTTP
import VLedgerCore
import VLedgerTestSupport

/// The pages' texts come from the catalog in the request's language (Accept-Language, zh by
/// default); the menu shows each role its pages while the database still refuses the others;
/// the office's outreach list (masked) and its population form.
struct WebTextAndMenuTests {
    /// `{{t.a.b}}` and `{{#tr}}a.b{{/tr}}` in every template, and `WebText.text("a.b")` in the handlers.
    static func referencedKeys() throws -> Set<String> {
        var keys: Set<String> = []
        let patterns = [#"\{\{t\.([a-z0-9_.]+)\}\}"#, #"\{\{#tr\}\}([a-z0-9_.]+)\{\{/tr\}\}"#]
        for source in WebTemplates.sources.values {
            for pattern in patterns {
                let regex = try NSRegularExpression(pattern: pattern)
                for match in regex.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
                    keys.insert(String(source[Range(match.range(at: 1), in: source)!]))
                }
            }
        }
        return keys
    }

    @Test func everyTextATemplateNamesIsInBothLanguages() throws {
        let keys = try Self.referencedKeys()
        #expect(keys.count > 150, "\(keys.count)")
        for key in keys.sorted() {
            #expect(Catalog.zh["web." + key] != nil, "web.\(key) has no Chinese")
            #expect(Catalog.en["web." + key] != nil, "web.\(key) has no English")
        }
        for item in WebMenu.all { #expect(Catalog.zh["web.nav." + item.key] != nil && Catalog.en["web.nav." + item.key] != nil) }
        // No key hides another in the nested `t` (web.a and web.a.b cannot both be texts).
        for language in Language.allCases {
            let count = Catalog.table(language).keys.filter { $0.hasPrefix("web.") }.count
            #expect(WebText.leaves(WebText.tables[language] ?? [:]) == count)
        }
    }

    @Test func aTextsPlaceholdersAreFilledFromTheValuesAndEscaped() {
        #expect(WebText.template("第 {from}–{to} 人 <b>") == "第 {{from}}–{{to}} 人 &lt;b&gt;")
        let values: [String: Any] = ["activities": [[
            "id": 7, "title": "t", "starts": "2026-01-01 09:00", "ends": "2026-01-01 10:00", "category": "<script>", "organiser": "李", "open": 3,
        ] as [String: Any]]]
        let text = WebTemplates.library.render(values.merging(WebText.values) { $1 }, withTemplate: "activities") ?? ""
        #expect(text.contains("编号 7 · &lt;script&gt; · 组织者 李 · 在场 3 人"), "\(text)")
        #expect(text.contains("<h1>今天及以后的活动</h1>"))
        let english = WebText.$language.withValue(.en) {
            WebTemplates.library.render(values.merging(WebText.values) { $1 }, withTemplate: "activities") ?? ""
        }
        #expect(english.contains("No. 7 · &lt;script&gt; · organiser 李 · 3 present"), "\(english)")
    }

    @Test func thePageLanguageFollowsAcceptLanguage() async throws {
        try await ServeHarness.with { h, people in
            let chinese = try await h.call(.get, "/signin", headers: [("Accept-Language", "fr-FR,fr;q=0.9")])
            #expect(chinese.text.contains(#"<html lang="zh-CN">"#) && chinese.text.contains("<h1>登录</h1>"))
            let english = try await h.call(.get, "/signin", headers: [("Accept-Language", "en-US,en;q=0.9,zh;q=0.5")])
            #expect(english.text.contains(#"<html lang="en">"#) && english.text.contains("<h1>Sign in</h1>"), "\(english.text)")
            #expect(!english.text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "no Chinese left on the English page")
            let (cookie, _) = try await WebPageTests.signIn(h, people.staff)
            let refused = try await h.call(.post, "/volunteers/new", json: WebPageTests.encode([("name", "x"), ("csrf", "wrong")]),
                                           headers: [("Cookie", cookie), ("Accept-Language", "en")], contentType: WebPageTests.form)
            #expect(refused.status == .forbidden && refused.text.contains("Not done"), "\(refused.text)")
            let page = try await h.call(.get, "/volunteers/new", headers: [("Cookie", cookie), ("Accept-Language", "en")])
            #expect(page.text.contains("Register a volunteer") && page.text.contains("staff"))
        }
    }

    static func menu(_ text: String) -> Set<String> {
        guard let nav = text.range(of: #"<nav class="main"[^>]*>[\s\S]*?</nav>"#, options: .regularExpression) else { return [] }
        let regex = try! NSRegularExpression(pattern: #"href="([^"]+)""#)
        let part = String(text[nav])
        return Set(regex.matches(in: part, range: NSRange(part.startIndex..., in: part)).map { String(part[Range($0.range(at: 1), in: part)!]) })
    }

    @Test func theMenuShowsEachRoleItsPagesAndTheDatabaseStillRefusesTheOthers() async throws {
        try await ServeHarness.with { h, people in
            let owner = try await h.owner()
            _ = try await LedgerFixtures.volunteer(owner, registeredOn: "2024-01-01", name: "钱多多")
            let expected: [(String, Set<String>)] = [
                (people.organiser, ["/activities", "/hours/pending", "/verify"]),
                (people.staff, ["/volunteers", "/volunteers/new", "/volunteers/import", "/outreach", "/verify"]),
                (people.office, ["/dashboard", "/outreach", "/anomalies", "/populations", "/districts", "/verify"]),
                (people.admin, Set(WebMenu.all.map(\.path))),
            ]
            for (login, paths) in expected {
                let (cookie, _) = try await WebPageTests.signIn(h, login)
                let page = try await h.call(.get, "/verify", headers: [("Cookie", cookie)])
                #expect(Self.menu(page.text) == paths, "\(login)")
            }
            // Hidden is not refused: the organiser typing the register's address reads nobody, and a
            // registration posted anyway is refused by the database.
            let (organiser, csrf) = try await WebPageTests.signIn(h, people.organiser)
            let list = try await h.call(.get, "/volunteers", headers: [("Cookie", organiser)])
            #expect(!list.text.contains("13800000000"), "no phone in full")
            let posted = try await WebStaffPageTests.post(h, "/volunteers/new", [
                ("name", "李四"), ("id_number", TestIDNumber.make(sequence: 41)), ("phone", "13800001234"), ("district", "210682001"), ("csrf", csrf),
            ], cookie: organiser)
            #expect(posted.status.code >= 400, "\(posted.status)")
            #expect(try await LedgerFixtures.count(owner, "volunteer") == 1)
            let home = try await h.call(.get, "/", headers: [("Cookie", organiser)])
            #expect(home.headers[.location] == "/activities")
            await owner.close()
        }
    }

    @Test func theOfficeReadsTheOutreachListMaskedPerDistrict() async throws {
        try await ServeHarness.with { h, people in
            let owner = try await h.owner()
            try await LedgerFixtures.district(owner, code: "210682002", name: "草河街道")
            let year = Int(CityTime.text(Date()).prefix(4))!
            let here = try await LedgerFixtures.volunteer(owner, registeredOn: "\(year)-01-01", name: "周大海")
            let there = try await LedgerFixtures.volunteer(owner, registeredOn: "\(year)-01-01", district: "210682002", name: "吴小河")
            let (office, _) = try await WebPageTests.signIn(h, people.office)
            let page = try await h.call(.get, "/outreach?year=\(year)", headers: [("Cookie", office)])
            #expect(page.status == .ok && !page.text.contains(#"id="error""#), "\(page.text.prefix(3000))")
            for code in ["210682001", "210682002"] {
                #expect(page.text.range(of: #"data-code="\#(code)"><td><a [^>]*>[^<]+</a></td><td class="num">1</td>"#, options: .regularExpression) != nil,
                        "one to contact in \(code): \(page.text)")
            }
            #expect(page.text.contains("周**") && page.text.contains("吴**") && page.text.contains("138****0000"))
            for secret in ["周大海", "吴小河", "13800000000", here.idNumber, there.idNumber] {
                #expect(!page.text.contains(secret), "\(secret) unmasked")
            }
            let one = try await h.call(.get, "/outreach?year=\(year)&district=210682002", headers: [("Cookie", office)])
            #expect(one.text.contains("吴**") && !one.text.contains("周**"))
            // Staff: their district's, names in full, phones masked on the page.
            let (staff, _) = try await WebPageTests.signIn(h, people.staff)
            let theirs = try await h.call(.get, "/outreach?year=\(year)", headers: [("Cookie", staff)])
            #expect(theirs.text.contains("周大海") && !theirs.text.contains("吴小河") && !theirs.text.contains("13800000000"))
            let (admin, _) = try await WebPageTests.signIn(h, people.admin)
            let all = try await h.call(.get, "/outreach?year=\(year)", headers: [("Cookie", admin)])
            #expect(all.text.contains("周大海") && all.text.contains("吴小河") && !all.text.contains("13800000000"))
            await owner.close()
        }
    }

    @Test func theOfficeSetsAPopulationFromThePageAsTheCLIDoes() async throws {
        try await ServeHarness.with { h, people in
            let owner = try await h.owner()
            let (cookie, csrf) = try await WebPageTests.signIn(h, people.office)
            let form = try await h.call(.get, "/populations", headers: [("Cookie", cookie)])
            #expect(form.text.contains(#"id="population-set""#))
            let bad: [(String, String, String)] = [("set_residents", "-5", "population_residents_positive"), ("set_residents", "很多", "residents_whole"),
                                                   ("set_year", "1800", "population_year_range"), ("set_year", "明年", "population_year_range")]
            for (field, value, code) in bad {
                var fields = ["set_district": "210682001", "set_year": "2026", "set_residents": "5000", "set_source": "统计公报"]
                fields[field] = value
                let refused = try await WebStaffPageTests.post(h, "/populations", fields.map { ($0.key, $0.value) } + [("csrf", csrf)], cookie: cookie)
                #expect(refused.status == .unprocessableContent, "\(field)=\(value)")
                let message = Catalog.text("rule.\(code)", in: .zh)
                #expect(refused.text.contains(#"id="\#(field)-error" aria-live="polite">\#(message)</p>"#), "\(field)=\(value): \(refused.text)")
                #expect(refused.text.contains(#"value="\#(value)""#) && refused.text.contains(#"value="统计公报""#), "what was typed is kept")
            }
            let unknown = try await WebStaffPageTests.post(h, "/populations", [("set_district", "999999999"), ("set_year", "2026"),
                                                                               ("set_residents", "5000"), ("csrf", csrf)], cookie: cookie)
            #expect(unknown.status.code >= 400 && unknown.text.contains(#"id="set_district-error" aria-live="polite">"#))
            #expect(try await LedgerFixtures.count(owner, "population_revision") == 0)

            let done = try await WebStaffPageTests.post(h, "/populations", [("set_district", "210682001"), ("set_year", "2026"),
                                                                            ("set_residents", "5,000"), ("set_source", "统计公报"), ("csrf", csrf)], cookie: cookie)
            #expect(done.status == .ok && done.text.contains("已登记"), "\(done.text)")
            let again = try await WebStaffPageTests.post(h, "/populations", [("set_district", "210682001"), ("set_year", "2026"),
                                                                             ("set_residents", "5100"), ("csrf", csrf)], cookie: cookie)
            #expect(again.status == .ok)
            let figures = try await owner.withIsolated { db in try Population.list(district: "210682001", year: 2026, revisions: true, on: db) }
            #expect(figures.map(\.residents) == [5000, 5100] && figures.first?.source == "统计公报" && figures.last?.inForce == true)
            #expect(figures.allSatisfy { $0.recordedBy == people.office })

            // Staff may not: the form is not shown, and a post is refused by the database.
            let (staff, staffCSRF) = try await WebPageTests.signIn(h, people.staff)
            let page = try await h.call(.get, "/populations", headers: [("Cookie", staff)])
            #expect(!page.text.contains(#"id="population-set""#))
            let refused = try await WebStaffPageTests.post(h, "/populations", [("set_district", "210682001"), ("set_year", "2026"),
                                                                               ("set_residents", "1"), ("csrf", staffCSRF)], cookie: staff)
            #expect(refused.status == .forbidden && refused.text.contains(#"id="set-error""#), "\(refused.status) \(refused.text)")
            #expect(try await LedgerFixtures.count(owner, "population_revision") == 2)
            await owner.close()
        }
    }
}
