import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// The organiser taps volunteers in and out (即到即签、即退即签), found by number or name;
/// phones shown masked, as in every listing.
enum WebAttendancePages {
    /// At most this many matches are shown for one search.
    static let shown = 20

    static func register(on router: Router<APIContext>, api: API) {
        router.get("/activities/{id}/attendance") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                let id = try ActivityService.parseID(try Parse.path(context, "id"))
                return try await page(id, visitor, api, search: Parse.query(request, "q")?.trimmingCharacters(in: .whitespaces))
            }
        }
        router.post("/activities/{id}/attendance") { request, context -> Response in
            try await WebPages.posted(request, context, api) { visitor, form in
                let id = try ActivityService.parseID(try Parse.path(context, "id"))
                let volunteer = form.text("volunteer")
                let back = [("/activities/\(id)/attendance", WebText.text("attendance.continue"))]
                do {
                    if form.text("action") == CheckinAction.checkOut.rawValue {
                        let out = try await api.database.asPerson(visitor.person) { session in
                            try await HoursAttendance.checkOut(activity: id, volunteer: volunteer, in: session)
                        }
                        return WebPage.done(title: WebText.text("attendance.out_title"),
                                            message: WebText.text("attendance.out_done", ["volunteer": volunteer, "minutes": String(out.minutes)]),
                                            visitor: visitor, links: back)
                    }
                    _ = try await api.database.asPerson(visitor.person) { session in
                        try await HoursAttendance.checkIn(activity: id, volunteer: volunteer, in: session)
                    }
                    return WebPage.done(title: WebText.text("attendance.in_title"), message: WebText.text("attendance.in_done", ["volunteer": volunteer]),
                                        visitor: visitor, links: back)
                } catch {
                    return WebPage.done(title: WebText.text("done.not_ok"), message: FormError(error, fields: []).message, visitor: visitor, links: back, ok: false)
                }
            }
        }
    }

    static func page(_ id: Int64, _ visitor: WebVisitor, _ api: API, search: String?) async throws -> Response {
        let (activity, found) = try await api.database.asPerson(visitor.person) { session in
            let activity = try await ActivityService.show(id, in: session)
            guard let search, !search.isEmpty else { return (activity, [VolunteerListing]()) }
            return (activity, Array(try await VolunteerQueries.list(VolunteerListQuery(search: search), in: session).prefix(shown)))
        }
        return WebPage.render("attendance", title: WebText.text("attendance.title"), visitor: visitor, values: [
            "id": id, "title": activity.title, "open": activity.openCheckIns, "q": search ?? "", "searched": !(search ?? "").isEmpty,
            "found": found.map { volunteer in
                ["number": volunteer.number, "name": volunteer.name, "district": volunteer.districtName,
                 "phone": Masking.phone(volunteer.phone), "id": id, "csrf": visitor.csrf] as [String: Any]
            },
        ])
    }
}
