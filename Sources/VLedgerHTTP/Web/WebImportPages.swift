import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// Staff import a spreadsheet: the upload (a browser's multipart form), the per-row report of
/// `vledger volunteer import` as a table, and the rejects to download.
enum WebImportPages {
    /// The report shows at most this many problems (the rejects file has them all).
    static let shownProblems = 200

    static func register(on router: Router<APIContext>, api: API) {
        router.get("/volunteers/import") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                WebPage.render("import", title: WebText.text("import.page_title"), visitor: visitor, values: ["csrf": visitor.csrf])
            }
        }
        router.post("/volunteers/import") { request, context -> Response in
            // No session cookie: to sign-in before reading a large body (the session and the
            // form's CSRF token are checked once the form is read).
            guard let cookie = request.cookies[Authenticator.cookieName]?.value, SessionTokens.wellFormed(cookie) else {
                return WebSession.signInRedirect(request)
            }
            var request = request
            let bytes: [UInt8]
            do {
                bytes = try await ImportRoutes.body(&request)
            } catch {
                return WebPage.done(title: WebText.text("import.not_imported"), message: FormError(error, fields: []).message, visitor: nil,
                                    links: [("/volunteers/import", WebText.text("import.back"))], ok: false)
            }
            guard let form = MultipartForm.parse(bytes, contentType: request.headers[.contentType] ?? "") else {
                return WebPage.done(title: WebText.text("import.not_imported"), message: Catalog.text("error.bad_request", in: WebText.language), visitor: nil,
                                    links: [("/volunteers/import", WebText.text("import.back"))], ok: false)
            }
            return try await WebPages.posted(request, WebForm(values: form.fields), context, api) { visitor, fields in
                let skipBad = fields["skip_bad"] == "yes"
                let again = { (values: [String: Any], status: HTTPResponse.Status) in
                    WebPage.render("import", title: WebText.text("import.page_title"), visitor: visitor,
                                   values: values.merging(["csrf": visitor.csrf, "skip_bad": skipBad]) { $1 }, status: status)
                }
                guard let file = form.files["file"], !file.bytes.isEmpty else {
                    return again(["error_file": WebText.text("import.no_file")], .unprocessableContent)
                }
                let source = ImportRoutes.fileName(file.name, xlsx: file.name.lowercased().hasSuffix(".xlsx"))
                do {
                    let (_, upload) = try await ImportRoutes.importing(file.bytes, source: source, skipBad: skipBad, encoding: nil,
                                                                       person: visitor.person, api: api)
                    return report(upload.outcome.report, written: true, rejects: upload.outcome.rejectsFile,
                                  summary: upload.outcome.summary(in: WebText.language), visitor: visitor)
                } catch VLedgerError.importRejected(let rejected) {
                    let bad = Set(rejected.problems.compactMap(\.line)).count
                    return report(rejected, written: false, rejects: nil,
                                  summary: Catalog.text("error.import_rejected", ["bad": String(bad)], in: WebText.language), visitor: visitor,
                                  status: .unprocessableContent)
                } catch {
                    let failure = FormError(error, fields: ["file"], aliases: ["header": "file", "row": "file"])
                    let facing = APIError.userFacing(for: error)
                    // A file-wide refusal (no header, a missing column, not a workbook) is said next to the file.
                    let values: [String: Any] = failure.field == nil && facing.category == .invalid
                        ? ["error_file": facing.message(in: WebText.language), "invalid_file": true] : failure.values
                    return again(values, HTTPResponse.Status(code: facing.category.httpStatus))
                }
            }
        }
    }

    static func report(_ report: ImportReport, written: Bool, rejects: String?, summary: String, visitor: WebVisitor,
                       status: HTTPResponse.Status = .ok) -> Response {
        let problems = report.problems.prefix(shownProblems).map { problem -> [String: Any] in
            [
                "line": problem.line.map(String.init) ?? "", "field": Catalog.fieldLabel(problem.field, in: WebText.language),
                "value": problem.value ?? "", "reason": problem.userFacing.ruleText(in: WebText.language),
            ]
        }
        let bad = Set(report.problems.compactMap(\.line)).count
        var values: [String: Any] = [
            "file": report.file, "summary": summary, "clean": written && report.problems.isEmpty,
            "rows": report.totalRows, "applied": written ? report.applied : 0, "present": report.skippedDuplicates, "bad": bad,
            "problems": Array(problems), "has_problems": !problems.isEmpty, "problem_count": report.problems.count,
            "shown": problems.count, "truncated": report.problems.count > problems.count,
        ]
        if let rejects { values["rejects"] = rejects }
        var response = WebPage.render("import_report", title: WebText.text("import.report_title"), visitor: visitor, values: values)
        response.status = status
        return response
    }
}
