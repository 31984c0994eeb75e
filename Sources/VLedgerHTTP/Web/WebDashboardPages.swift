import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// The office's dashboard: the figures of `vledger metrics` (the same service and the same
/// rounded strings, never recomputed here), the districts furthest behind first, a chart per
/// indicator, and the city's monthly progress.
enum WebDashboardPages {
    static func register(on router: Router<APIContext>, api: API) {
        router.get("/dashboard") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                let yearText = Parse.query(request, "year") ?? String(CityTime.text(Date()).prefix(4))
                // As the browser's GET form sends them ("+" for a space: "2026-06-01+12:00").
                let form = WebForm.parse(request.uri.query ?? "")
                let asOf = form.optional("as_of"), asRecordedAt = form.optional("as_recorded_at")
                var values: [String: Any] = ["year": yearText, "as_of_input": asOf ?? "", "as_recorded_at_input": asRecordedAt ?? ""]
                do {
                    guard let year = Int(yearText) else {
                        throw UserFacingError(.invalid, code: "query_parameter", field: "year", value: String(yearText.prefix(20)))
                    }
                    let metricsRequest = try MetricsRequest(year: year, asOf: asOf, asRecordedAt: asRecordedAt)
                    let (report, months) = try await api.database.asPerson(visitor.person) { session in
                        try await MetricsService.runYearAndMonths(metricsRequest, in: session)
                    }
                    values["report"] = reportValues(report, months: months)
                    values["export"] = exportLinks(year: year, asOf: asOf, asRecordedAt: asRecordedAt)
                    if let recorded = report.asRecordedAt { values["replay"] = recorded }
                } catch {
                    values["error"] = FormError(error, fields: []).message
                }
                return WebPage.render("dashboard", title: WebText.text("dashboard.title"), visitor: visitor, values: values)
            }
        }
    }

    /// The same request as the page's, as xlsx or CSV, for the year or by month.
    static func exportLinks(year: Int, asOf: String?, asRecordedAt: String?) -> [[String: String]] {
        var query = "year=\(year)"
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        if let asOf { query += "&as_of=" + (asOf.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }
        if let asRecordedAt { query += "&as_recorded_at=" + (asRecordedAt.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }
        return [("xlsx", "", "export_xlsx"), ("csv", "", "export_csv"), ("xlsx", "&by=month", "export_month_xlsx"), ("csv", "&by=month", "export_month_csv")].map {
            ["href": "/dashboard/export?\(query)&format=\($0.0)\($0.1)", "label": WebText.text("dashboard." + $0.2), "id": "export-\($0.0)\($0.1.isEmpty ? "" : "-month")"]
        }
    }

    static func mark(_ meets: Bool?) -> String {
        switch meets {
        case .some(true): return "<span class=\"yes\" aria-label=\"\(WebText.text("dashboard.meets"))\">✓</span>"
        case .some(false): return "<span class=\"no\" aria-label=\"\(WebText.text("dashboard.misses"))\">✗</span>"
        case .none: return ""
        }
    }

    static func figures(_ f: MetricsFigures) -> [String: Any] {
        [
            "share": f.registrationShare ?? "—", "share_mark": mark(f.meetsRegistrationShare),
            "share_gap": f.registrationsNeeded.map(String.init) ?? "—",
            "rate": f.participationRate ?? "—", "rate_mark": mark(f.meetsParticipationRate), "rate_gap": String(f.participantsNeeded),
            "hours": f.hoursPerVolunteer ?? "—", "hours_mark": mark(f.meetsHoursPerVolunteer), "hours_gap": f.hoursNeeded,
        ]
    }

    static func reportValues(_ report: MetricsReport, months: [MetricsReport]) -> [String: Any] {
        let ordered = report.districtsFurthestBehindFirst
        let targets = report.request.targets
        var values: [String: Any] = [
            "as_of": report.request.asOf.description, "time_zone": report.timeZone,
            "scope": report.request.scope == .builtUp ? WebText.text("dashboard.scope_built_up") : WebText.text("dashboard.scope_all"),
            "t_share": targets.registrationShare.text, "t_rate": targets.participationRate.text, "t_hours": targets.hoursPerVolunteer.text,
            "partial": report.isPartial,
            "rows": ordered.map { district in figures(district.figures).merging(["code": district.code, "name": district.name]) { $1 } },
            "months": months.compactMap { month in month.cityRow.map { figures($0).merging(["as_of": month.request.asOf.description]) { $1 } } },
            "chart_share": WebCharts.bars(id: "chart-share", title: WebText.text("dashboard.chart_share"), bars: ordered.map {
                .init(label: $0.name, text: $0.figures.registrationShare, meets: $0.figures.meetsRegistrationShare)
            }, target: targets.registrationShare.value, targetText: targets.registrationShare.text),
            "chart_rate": WebCharts.bars(id: "chart-rate", title: WebText.text("dashboard.chart_rate"), bars: ordered.map {
                .init(label: $0.name, text: $0.figures.participationRate, meets: $0.figures.meetsParticipationRate)
            }, target: targets.participationRate.value, targetText: targets.participationRate.text),
            "chart_hours": WebCharts.bars(id: "chart-hours", title: WebText.text("dashboard.chart_hours"), bars: ordered.map {
                .init(label: $0.name, text: $0.figures.hoursPerVolunteer, meets: $0.figures.meetsHoursPerVolunteer)
            }, target: targets.hoursPerVolunteer.value, targetText: targets.hoursPerVolunteer.text),
        ]
        if let city = report.cityRow { values["city"] = figures(city) }
        let cityMonths = months.compactMap { month in month.cityRow.map { (String(month.request.asOf.description.prefix(7)), $0) } }
        values["trend_share"] = WebCharts.trend(id: "trend-share", title: WebText.text("dashboard.trend_share"), points: cityMonths.map { .init(label: $0.0, text: $0.1.registrationShare) },
                                                target: targets.registrationShare.value, targetText: targets.registrationShare.text)
        values["trend_rate"] = WebCharts.trend(id: "trend-rate", title: WebText.text("dashboard.trend_rate"), points: cityMonths.map { .init(label: $0.0, text: $0.1.participationRate) },
                                               target: targets.participationRate.value, targetText: targets.participationRate.text)
        values["trend_hours"] = WebCharts.trend(id: "trend-hours", title: WebText.text("dashboard.trend_hours"),
                                                points: cityMonths.map { .init(label: $0.0, text: $0.1.hoursPerVolunteer) },
                                                target: targets.hoursPerVolunteer.value, targetText: targets.hoursPerVolunteer.text)
        values["has_months"] = !((values["months"] as? [Any])?.isEmpty ?? true)
        return values
    }
}
