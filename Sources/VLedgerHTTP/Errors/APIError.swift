import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PostgresLibPQ
import VLedgerCore

/// Every error becomes `{code, field, message}`: the code and field of the rule, the message
/// from the catalog in the reply's language, the status from the error's category. Database
/// text that is not a rule's (SQL, a query, a stack) never reaches the client; failures are
/// logged by code only.
public enum APIError {
    /// The error as the API reports it.
    public static func userFacing(for error: any Error) -> UserFacingError {
        switch error {
        case let error as UserFacingError: return error
        case let violation as RuleViolation: return violation.userFacing
        case let error as PostgresError:
            if error.kind != .server {
                return UserFacingError(.failure, code: "database_unavailable")
            }
            return UserMessage.userFacing(for: error)
        case let error as VLedgerError:
            switch error {
            case .notFound(let what, let key): return .error(.notFound, "not_found", ["what": what, "key": key])
            case .conflict: return UserFacingError(.conflict, code: "conflict", english: error.description)
            case .refused: return UserFacingError(.forbidden, code: "refused", english: error.description)
            case .configuration, .importRejected: return UserFacingError(.failure, code: "internal")
            }
        case is NIOTooManyBytesError:
            return UserFacingError(.tooLarge, code: "body_too_large", args: ["limit": String(JSONBody.limit)])
        case let error as HTTPError:
            switch error.status {
            case .notFound: return UserFacingError(.notFound, code: "route_not_found")
            case .methodNotAllowed: return UserFacingError(.notFound, code: "route_not_found")
            case .contentTooLarge: return UserFacingError(.tooLarge, code: "body_too_large", args: ["limit": String(JSONBody.limit)])
            case .unsupportedMediaType: return UserFacingError(.malformed, code: "wrong_content_type")
            case .badRequest: return UserFacingError(.malformed, code: "bad_request")
            default: return UserFacingError(.failure, code: "internal")
            }
        default:
            return UserFacingError(.failure, code: "internal")
        }
    }

    /// The code as the API shows it (`rule.X` and `error.X` both become `X`).
    public static func body(for error: UserFacingError, in language: Language) -> JSONValue {
        let message: String
        switch error.category {
        case .failure, .configuration:
            // Whatever the failure carried (a database's description, a query) stays in the log.
            let code = error.code == "database_unavailable" ? "database_unavailable" : "internal"
            return .object([("code", .string(code)), ("field", .null), ("message", .string(Catalog.text("error.\(code)", in: language)))])
        default:
            message = error.message(in: language)
        }
        return .object([
            ("code", .string(error.code)),
            ("field", error.field.map { .string($0) } ?? .null),
            ("message", .string(message)),
        ])
    }

    public static func response(for error: any Error, in language: Language, headers: HTTPFields = [:]) -> Response {
        let facing = userFacing(for: error)
        var status = HTTPResponse.Status(code: facing.category.httpStatus)
        if facing.code == "database_unavailable" { status = .serviceUnavailable }
        return JSONResponse.make(body(for: facing, in: language), status: status, headers: headers)
    }
}

/// Renders whatever a route throws, and logs failures (their code and kind only).
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let facing = APIError.userFacing(for: error)
            if facing.category == .failure || facing.category == .configuration {
                context.logger.error("request failed", metadata: ["code": .string(facing.code), "error_type": .string(String(describing: type(of: error)))])
            }
            var headers: HTTPFields = [:]
            if facing.category == .rateLimited, let seconds = facing.args["seconds"] { headers[.retryAfter] = seconds }
            return APIError.response(for: error, in: context.language, headers: headers)
        }
    }
}
