import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VLedgerCore

/// The office's other pages: the outreach list, anomalies, the dashboard's figures to download,
/// populations and districts. Each over the service the CLI uses.
enum WebOfficePages {
    static let pageSize = 100
    /// The page stays under 200 KB; `vledger hours anomalies` has them all.
    static let shownAnomalies = 300

    static func register(on router: Router<APIContext>, api: API) {
        router.get("/outreach") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                let yearText = Parse.query(request, "year") ?? thisYear()
                let district = Parse.query(request, "district")
                var values: [String: Any] = ["year": yearText]
                do {
                    let year = try yearValue(yearText)
                    let (districts, all) = try await api.database.asPerson(visitor.person) { session in
                        (try await Districts.list(in: session), try await VolunteerQueries.inactive(year: year, in: session))
                    }
                    let counts = Dictionary(grouping: all, by: \.districtCode).mapValues(\.count)
                    values["districts"] = districts.map { d -> [String: Any] in
                        ["code": d.code, "name": d.name, "count": counts[d.code] ?? 0, "selected": d.code == district,
                         "href": "/outreach?year=\(year)&district=\(d.code)"]
                    }
                    values["total"] = all.count
                    let shown = district.map { code in all.filter { $0.districtCode == code } } ?? all
                    let page = CursorPage(shown, cursor: Parse.query(request, "cursor"), limit: pageSize, key: \.number)
                    // The office reads personal data masked only (0042): it gets the phones masked from
                    // the database, and the page masks the names as the public check does.
                    let maskNames = visitor.role == .office
                    values["masked_names"] = maskNames
                    values["volunteers"] = page.items.map { v -> [String: Any] in
                        ["number": v.number, "name": maskNames ? Masking.name(v.name) : v.name, "district": v.districtName,
                         "phone": Masking.phone(v.phone), "registered_on": v.registeredOn.description]
                    }
                    values["has_volunteers"] = !page.items.isEmpty
                    values["from"] = page.start + 1
                    values["to"] = page.start + page.items.count
                    values["shown_total"] = shown.count
                    values["district_name"] = districts.first { $0.code == district }?.name ?? WebText.text("outreach.all_districts")
                    if let next = page.next {
                        values["next_page"] = "/outreach?year=\(year)" + (district.map { "&district=\($0)" } ?? "") + "&cursor=\(next)"
                    }
                } catch {
                    values["error"] = FormError(error, fields: []).message
                }
                return WebPage.render("outreach", title: WebText.text("outreach.title"), visitor: visitor, values: values)
            }
        }
        router.get("/anomalies") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                let yearText = Parse.query(request, "year") ?? thisYear()
                var values: [String: Any] = ["year": yearText]
                do {
                    let year = try yearValue(yearText)
                    let found = try await api.database.asPerson(visitor.person) { session in try await HoursAnomalies.find(year: year, in: session) }
                    // Rendered generically: the code of the pattern and its reason, as the catalog says it.
                    values["entries"] = found.anomalies.prefix(shownAnomalies).map { a -> [String: Any] in
                        ["code": a.kind, "reason": a.reason(in: WebText.language), "entry": a.entryID, "volunteer": a.volunteerNumber]
                    }
                    values["lookups"] = found.lookups.prefix(100).map { l -> [String: Any] in
                        ["code": l.kind, "reason": l.reason(in: WebText.language), "login": l.login]
                    }
                    values["has_entries"] = !found.anomalies.isEmpty
                    values["has_lookups"] = !found.lookups.isEmpty
                    values["count"] = found.anomalies.count
                    values["truncated"] = found.anomalies.count > shownAnomalies
                } catch {
                    values["error"] = FormError(error, fields: []).message
                }
                return WebPage.render("anomalies", title: WebText.text("anomalies.title"), visitor: visitor, values: values)
            }
        }
        router.get("/dashboard/export") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                do {
                    let metricsRequest = try MetricsRequest(year: try yearValue(Parse.query(request, "year") ?? thisYear()),
                                                            asOf: Parse.query(request, "as_of"), asRecordedAt: Parse.query(request, "as_recorded_at"))
                    let xlsx = Parse.query(request, "format") == "xlsx", byMonth = Parse.query(request, "by") == "month"
                    let name = "vledger-metrics-\(metricsRequest.year)" + (byMonth ? "-by-month" : "") + (xlsx ? ".xlsx" : ".csv")
                    let bytes: [UInt8] = try await api.database.asPerson(visitor.person) { session in
                        if byMonth {
                            let months = try await MetricsService.runByMonth(metricsRequest, in: session)
                            return xlsx ? MetricsReport.workbook(months: months).data() : ExcelCSV.bytes(MetricsReport.csv(months: months))
                        }
                        let report = try await MetricsService.run(metricsRequest, in: session)
                        return xlsx ? report.workbook.data() : ExcelCSV.bytes(report.csv)
                    }
                    return download(bytes, name: name, xlsx: xlsx)
                } catch {
                    var response = WebPage.done(title: WebText.text("dashboard.cannot_download"), message: FormError(error, fields: []).message, visitor: visitor,
                                                links: [("/dashboard", WebText.text("dashboard.back"))], ok: false)
                    response.status = HTTPResponse.Status(code: APIError.userFacing(for: error).category.httpStatus)
                    return response
                }
            }
        }
        WebPopulationPages.register(on: router, api: api)
        router.get("/districts") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                let districts = try await api.database.asPerson(visitor.person) { session in try await Districts.list(in: session) }
                return WebPage.render("districts", title: WebText.text("districts.title"), visitor: visitor, values: ["districts": districts.map { d -> [String: Any] in
                    ["code": d.code, "name": d.name, "built_up": WebText.text(d.builtUp ? "districts.yes" : "districts.no"), "by": d.recordedBy]
                }])
            }
        }
    }

    static func thisYear() -> String { String(CityTime.text(Date()).prefix(4)) }

    static func yearValue(_ text: String) throws -> Int {
        guard let year = Int(text) else { throw UserFacingError(.invalid, code: "query_parameter", field: "year", value: String(text.prefix(20))) }
        return year
    }

    static func download(_ bytes: [UInt8], name: String, xlsx: Bool) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = xlsx ? ImportRoutes.xlsxType : "text/csv; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
