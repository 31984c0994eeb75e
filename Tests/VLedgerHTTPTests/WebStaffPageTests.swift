import Foundation
import HTTPTypes
import NIOCore
import Testing
import VLedgerCore
import VLedgerTestSupport

/// The staff's and the office's pages of issue 14 through the router (the browser test does them
/// end to end): upload an import, the volunteers' list, move, deregister; the office's lists and
/// downloads; a correction from the pending page; the check-in page's title.
struct WebStaffPageTests {
    static func multipart(_ fields: [(String, String)], file: (name: String, bytes: [UInt8])?) -> (String, [UInt8]) {
        let boundary = "----vledgertest7MA4YWxkTrZu0gW"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return ("multipart/form-data; boundary=\(boundary)", body)
    }

    static func post(_ h: ServeHarness, _ uri: String, _ fields: [(String, String)], cookie: String) async throws -> ServeHarness.Reply {
        try await h.call(.post, uri, json: WebPageTests.encode(fields), headers: [("Cookie", cookie)], contentType: WebPageTests.form)
    }

    @Test func staffUploadASpreadsheetAndSeeTheReportAsATable() async throws {
        try await ServeHarness.with { h, people in
            let (cookie, csrf) = try await WebPageTests.signIn(h, people.staff)
            let page = try await h.call(.get, "/volunteers/import", headers: [("Cookie", cookie)])
            #expect(page.status == .ok && page.text.contains(#"enctype="multipart/form-data""#))
            let csv = ImportRouteTests.csv([
                "王一,\(TestIDNumber.make(sequence: 71)),13800000001,210682001,2024-01-02",
                "王三,123,13800000003,210682001,2024-01-02",
            ])
            let cookieHeader = [("Cookie", cookie)]
            let forged = Self.multipart([("csrf", "nope"), ("skip_bad", "yes")], file: ("名单.csv", csv))
            let refused = try await ImportRouteTests.upload(h, "/volunteers/import", forged.1, type: forged.0, headers: cookieHeader)
            #expect(refused.status == .forbidden && refused.headers[.contentType]?.hasPrefix("text/html") == true)
            let owner = try await h.owner()
            #expect(try await LedgerFixtures.count(owner, "volunteer") == 0)

            let none = Self.multipart([("csrf", csrf)], file: nil)
            let missing = try await ImportRouteTests.upload(h, "/volunteers/import", none.1, type: none.0, headers: cookieHeader)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.range(of: #"id="file-error" aria-live="polite">[^<]+</p>"#, options: .regularExpression) != nil, "next to the field")

            let all = Self.multipart([("csrf", csrf)], file: ("名单.csv", csv))
            let rejected = try await ImportRouteTests.upload(h, "/volunteers/import", all.1, type: all.0, headers: cookieHeader)
            #expect(rejected.status == .unprocessableContent)
            #expect(rejected.text.contains(#"<table id="problems">"#) && rejected.text.contains("<td class=\"num\">3</td>"))
            #expect(!rejected.text.contains(#"id="rejects""#))
            #expect(try await LedgerFixtures.count(owner, "volunteer") == 0)

            let skip = Self.multipart([("csrf", csrf), ("skip_bad", "yes")], file: ("名单.csv", csv))
            let done = try await ImportRouteTests.upload(h, "/volunteers/import", skip.1, type: skip.0, headers: cookieHeader)
            #expect(done.status == .ok, "\(done.text)")
            #expect(done.text.contains(#"<dd id="n-applied">1</dd>"#) && done.text.contains(#"<dd id="n-bad">1</dd>"#))
            let link = try #require(done.text.range(of: #"/api/v1/volunteers/import/rejects/[A-Za-z0-9_-]+"#, options: .regularExpression))
            let rejects = try await h.call(.get, String(done.text[link]), headers: cookieHeader)
            #expect(rejects.status == .ok && rejects.text.contains("王三"))
            #expect(try await LedgerFixtures.count(owner, "volunteer") == 1)
            await owner.close()
        }
    }

    @Test func staffListMoveAndDeregisterWithMessagesNextToTheFields() async throws {
        try await ServeHarness.with { h, people in
            let owner = try await h.owner()
            try await LedgerFixtures.district(owner, code: "210682002", name: "草河街道")
            let (cookie, csrf) = try await WebPageTests.signIn(h, people.admin)
            let register = try await h.call(.post, "/api/v1/volunteers", token: try await h.signIn(people.admin),
                                            json: #"{"name":"赵六","id_number":"\#(TestIDNumber.make(sequence: 81))","phone":"13912345678","district":"210682001","registered_on":"2024-01-01"}"#)
            let number = try #require(register.json["number"] as? String)

            let list = try await h.call(.get, "/volunteers?q=%E8%B5%B5", headers: [("Cookie", cookie)])
            #expect(list.status == .ok && list.text.contains("赵六") && list.text.contains("/volunteers/\(number)"))
            #expect(!list.text.contains("13912345678"), "phones masked in the list")
            // Organisers find volunteers too, from the masked view.
            let (organiser, organiserCSRF) = try await WebPageTests.signIn(h, people.organiser)
            let organiserList = try await h.call(.get, "/volunteers?q=%E8%B5%B5", headers: [("Cookie", organiser)])
            #expect(organiserList.status == .ok && organiserList.text.contains("/volunteers/\(number)"), "\(organiserList.text)")
            #expect(!organiserList.text.contains("13912345678") && organiserList.text.contains("139****5678"))

            let badDate = try await Self.post(h, "/volunteers/\(number)/move", [("csrf", csrf), ("district", "210682002"), ("on", "2024-13-40")], cookie: cookie)
            #expect(badDate.status == .unprocessableContent)
            #expect(badDate.text.range(of: #"id="move_on-error" aria-live="polite">[^<]+</p>"#, options: .regularExpression) != nil)
            #expect(badDate.text.contains(#"value="2024-13-40""#), "what was typed is kept")
            let moved = try await Self.post(h, "/volunteers/\(number)/move", [("csrf", csrf), ("district", "210682002"), ("on", "2024-06-01")], cookie: cookie)
            #expect(moved.status == .ok && moved.text.contains("已迁移"), "\(moved.text)")
            #expect(try await LedgerFixtures.count(owner, "volunteer_district") == 2)

            let noReason = try await Self.post(h, "/volunteers/\(number)/deregister", [("csrf", csrf), ("on", "2024-07-01"), ("reason", "")], cookie: cookie)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.text.range(of: #"id="dereg_reason-error" aria-live="polite">[^<]+</p>"#, options: .regularExpression) != nil)
            let left = try await Self.post(h, "/volunteers/\(number)/deregister", [("csrf", csrf), ("on", "2024-07-01"), ("reason", "迁出本市")], cookie: cookie)
            #expect(left.status == .ok && left.text.contains("已注销"), "\(left.text)")
            let shown = try await h.call(.get, "/volunteers/\(number)", headers: [("Cookie", cookie)])
            #expect(shown.text.contains(#"id="deregistered""#) && !shown.text.contains(#"id="move""#))

            // An organiser may not move anyone: the page says so, nothing changes.
            let refused = try await Self.post(h, "/volunteers/\(number)/move", [("csrf", organiserCSRF), ("district", "210682001"), ("on", "2024-08-01")],
                                              cookie: organiser)
            #expect(refused.status.code >= 400 && refused.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(try await LedgerFixtures.count(owner, "volunteer_district") == 2)
            await owner.close()
        }
    }

    @Test func officeListsAndDownloadsAreTheCLIsFigures() async throws {
        try await ServeHarness.with { h, people in
            let owner = try await h.owner()
            let year = Int(CityTime.text(Date()).prefix(4))!
            _ = try await LedgerFixtures.volunteer(owner, registeredOn: "\(year)-01-01", name: "孙七")
            let (cookie, _) = try await WebPageTests.signIn(h, people.office)
            for path in ["/anomalies", "/populations", "/districts",
                         "/dashboard?as_recorded_at=\(year)-06-01%2012:00"] {
                let page = try await h.call(.get, path, headers: [("Cookie", cookie)])
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains(#"id="error""#), "\(path): \(page.text.prefix(2000))")
            }
            // Who has no hours: the office reads it masked (0042), staff of the district and admins in full.
            let masked = try await h.call(.get, "/outreach?year=\(year)", headers: [("Cookie", cookie)])
            #expect(masked.status == .ok && !masked.text.contains(#"id="error""#), "\(masked.text.prefix(2000))")
            #expect(masked.text.contains("孙*") && !masked.text.contains("孙七") && !masked.text.contains("13800000000"))
            let (staff, _) = try await WebPageTests.signIn(h, people.staff)
            let outreach = try await h.call(.get, "/outreach?year=\(year)", headers: [("Cookie", staff)])
            #expect(outreach.text.contains("孙七"), "registered, no hours this year")
            #expect(!outreach.text.contains("13800000000"), "phones masked")
            let dashboard = try await h.call(.get, "/dashboard?year=\(year)", headers: [("Cookie", cookie)])
            #expect(dashboard.text.contains(#"id="trend-share""#) && dashboard.text.contains(#"id="export-xlsx""#))

            let csv = try await h.call(.get, "/dashboard/export?year=\(year)&format=csv", headers: [("Cookie", cookie)])
            #expect(csv.status == .ok && csv.headers[.contentDisposition]?.contains(".csv") == true)
            let expected = try await MetricsService.run(try MetricsRequest(year: year), on: owner).csv
            #expect(csv.text.replacingOccurrences(of: "\u{FEFF}", with: "").replacingOccurrences(of: "\r\n", with: "\n") == expected.replacingOccurrences(of: "\r\n", with: "\n"))
            let xlsx = try await h.call(.get, "/dashboard/export?year=\(year)&format=xlsx&by=month", headers: [("Cookie", cookie)])
            #expect(xlsx.status == .ok && xlsx.headers[.contentType]?.contains("spreadsheetml") == true)
            let bad = try await h.call(.get, "/dashboard/export?year=abc&format=csv", headers: [("Cookie", cookie)])
            #expect(bad.status == .unprocessableContent && bad.headers[.contentType]?.hasPrefix("text/html") == true)
            let anonymous = try await h.call(.get, "/dashboard/export?year=\(year)&format=csv")
            #expect(anonymous.status == .seeOther)
            await owner.close()
        }
    }

    @Test func aPendingEntryIsCorrectedFromItsPage() async throws {
        try await ServeHarness.with { h, people in
            let admin = try await h.signIn(people.admin)
            let registered = try await h.call(.post, "/api/v1/volunteers", token: admin,
                                              json: #"{"name":"周八","id_number":"\#(TestIDNumber.make(sequence: 95))","phone":"13912345678","district":"210682001","registered_on":"2019-01-01"}"#)
            let number = try #require(registered.json["number"] as? String)
            let activity = try await h.call(.post, "/api/v1/activities", token: admin,
                                            json: #"{"title":"社区清扫","district":"210682001","organiser":"李组织","starts":"2019-03-01 09:00","ends":"2019-03-01 12:00"}"#)
            let activityID = try #require(activity.json["id"] as? Int)
            let entry = try await h.call(.post, "/api/v1/hours", token: admin, json: #"{"activity":\#(activityID),"volunteer":"\#(number)","minutes":120}"#,
                                         headers: [("Idempotency-Key", "c-1")])
            let id = try #require(entry.json["id"] as? Int)
            let (cookie, csrf) = try await WebPageTests.signIn(h, people.admin2)
            let pending = try await h.call(.get, "/hours/pending", headers: [("Cookie", cookie)])
            #expect(pending.text.contains(#"action="/hours/\#(id)/correct""#))
            let owner = try await h.owner()
            let bad = try await Self.post(h, "/hours/\(id)/correct", [("csrf", csrf), ("delta_minutes", "很多"), ("reason", "早退")], cookie: cookie)
            #expect(bad.text.contains("未更正"))
            let noReason = try await Self.post(h, "/hours/\(id)/correct", [("csrf", csrf), ("delta_minutes", "-30"), ("reason", " ")], cookie: cookie)
            #expect(noReason.text.contains("未更正"))
            #expect(try await LedgerFixtures.count(owner, "hours_entry") == 1)
            let done = try await Self.post(h, "/hours/\(id)/correct", [("csrf", csrf), ("delta_minutes", "-30"), ("reason", "早退")], cookie: cookie)
            #expect(done.status == .ok && done.text.contains("已记录更正"), "\(done.text)")
            #expect(try await LedgerFixtures.count(owner, "hours_entry") == 2)
            await owner.close()
        }
    }

    @Test func theSelfCheckinPageNamesTheActivityOnlyWhileItTakesCodes() async throws {
        try await ServeHarness.with { h, _ in
            let owner = try await h.owner()
            let now = try await LedgerFixtures.currentActivity(owner, startedMinutesAgo: 10, endsInMinutes: 60)
            let later = try await LedgerFixtures.activity(owner, starts: "2099-01-01 09:00+08", ends: "2099-01-01 12:00+08")
            let open = try await h.call(.get, "/checkin/\(now)")
            #expect(open.text.contains("今日活动"))
            let closed = try await h.call(.get, "/checkin/\(later)")
            #expect(closed.text.contains("活动 \(later)") && !closed.text.contains("社区清扫"))
            await owner.close()
        }
    }
}
