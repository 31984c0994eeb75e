import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// Hours waiting for a decision: approve, or reject with a reason (the database refuses anyone
/// deciding their own recording; the page lists only others').
enum WebHoursPages {
    /// The page lists at most this many (the oldest first).
    static let shown = 200

    static func register(on router: Router<APIContext>, api: API) {
        router.get("/hours/pending") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                let listing = try await api.database.asPerson(visitor.person) { session in
                    try await HoursListing.load(volunteer: nil, activity: nil, in: session)
                }
                let pending = listing.entries.filter { $0.status == "pending" && $0.recordedBy != visitor.login }.prefix(shown)
                return WebPage.render("pending", title: WebText.text("pending.title"), visitor: visitor, values: ["entries": pending.map { entry in
                    ["id": entry.id, "name": entry.volunteerName, "number": entry.volunteerNumber, "title": entry.activityTitle,
                     "start": WebCheckinPages.minutes(entry.serviceStart), "minutes": entry.minutes,
                     "hours": HoursListing.hours(Int64(entry.minutes)), "recorded_by": entry.recordedBy, "source": entry.source,
                     "late": entry.isLate, "csrf": visitor.csrf] as [String: Any]
                }])
            }
        }
        router.post("/hours/{id}/approve") { request, context -> Response in
            try await WebPages.posted(request, context, api) { visitor, form in
                let back = [("/hours/pending", WebText.text("pending.back"))]
                do {
                    let id = try HoursService.parseEntryID(try Parse.path(context, "id"))
                    _ = try await api.database.asPerson(visitor.person) { session in try await HoursService.approve([id], in: session) }
                    return WebPage.done(title: WebText.text("pending.approved_title"), message: WebText.text("pending.approved", ["id": String(id)]), visitor: visitor, links: back)
                } catch {
                    return WebPage.done(title: WebText.text("pending.not_approved"), message: FormError(error, fields: []).message, visitor: visitor, links: back, ok: false)
                }
            }
        }
        router.post("/hours/{id}/correct") { request, context -> Response in
            try await WebPages.posted(request, context, api) { visitor, form in
                let back = [("/hours/pending", WebText.text("pending.back"))]
                do {
                    let id = try HoursService.parseEntryID(try Parse.path(context, "id"))
                    let deltaText = form.text("delta_minutes").replacingOccurrences(of: "＋", with: "+").replacingOccurrences(of: "－", with: "-")
                    guard let delta = Int(deltaText.hasPrefix("+") ? String(deltaText.dropFirst()) : deltaText) else {
                        throw UserFacingError(.invalid, code: "query_parameter", field: "delta_minutes", value: String(deltaText.prefix(20)))
                    }
                    let reason = form.text("reason")
                    let recorded = try await api.database.asPerson(visitor.person) { session in
                        try await HoursService.correct(id, deltaMinutes: delta, reason: reason, in: session)
                    }
                    return WebPage.done(title: WebText.text("pending.corrected_title"), message: WebText.text("pending.corrected", [
                        "id": String(id), "delta": (delta > 0 ? "+" : "") + String(delta), "correction": String(recorded.id),
                    ]),
                                        visitor: visitor, links: back)
                } catch {
                    return WebPage.done(title: WebText.text("pending.not_corrected"), message: FormError(error, fields: []).message, visitor: visitor, links: back, ok: false)
                }
            }
        }
        router.post("/hours/{id}/reject") { request, context -> Response in
            try await WebPages.posted(request, context, api) { visitor, form in
                let back = [("/hours/pending", WebText.text("pending.back"))]
                do {
                    let id = try HoursService.parseEntryID(try Parse.path(context, "id"))
                    let reason = form.text("reason")
                    _ = try await api.database.asPerson(visitor.person) { session in try await HoursService.reject(id, reason: reason, in: session) }
                    return WebPage.done(title: WebText.text("pending.rejected_title"), message: WebText.text("pending.rejected", ["id": String(id), "reason": reason]), visitor: visitor, links: back)
                } catch {
                    return WebPage.done(title: WebText.text("pending.not_rejected"), message: FormError(error, fields: []).message, visitor: visitor, links: back, ok: false)
                }
            }
        }
    }
}
