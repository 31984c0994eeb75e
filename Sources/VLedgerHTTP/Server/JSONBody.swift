import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VLedgerCore

/// A request's JSON object, read with the limits and refusals of the API: `application/json`
/// only (400), at most `limit` bytes (413), an object (400); fields by name, with a 422 naming
/// the field when one is missing, of the wrong type, or not a field of the operation.
public struct JSONBody: Sendable {
    /// Bodies over 1 MB are refused.
    public static let limit = 1_048_576

    let members: [String: JSONField]

    enum JSONField: Sendable {
        case string(String), integer(Int), bool(Bool), integers([Int]), null, other
    }

    /// Reads the body of `request`; `allowed` are the operation's fields (others are refused).
    public static func read(_ request: inout Request, allowed: Set<String>) async throws -> JSONBody {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let base = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard base == "application/json" else {
            throw UserFacingError(.malformed, code: "wrong_content_type")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw UserFacingError(.tooLarge, code: "body_too_large", args: ["limit": String(limit)])
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw UserFacingError(.tooLarge, code: "body_too_large", args: ["limit": String(limit)])
        }
        let data = Data(buffer.readableBytesView)
        guard let decoded = try? JSONDecoder().decode(AnyJSON.self, from: data), case .object(let object) = decoded else {
            throw UserFacingError(.malformed, code: "malformed_json")
        }
        var members: [String: JSONField] = [:]
        for (key, value) in object {
            guard allowed.contains(key) else {
                throw UserFacingError(.invalid, code: "json_field_unknown", field: String(key.prefix(60)))
            }
            members[key] = value.field
        }
        return JSONBody(members: members)
    }

    static func wrongType(_ name: String, _ type: String) -> UserFacingError {
        UserFacingError(.invalid, code: "json_field_type", field: name, args: ["type": type])
    }

    public func string(_ name: String) throws -> String {
        guard let value = try optionalString(name) else { throw UserFacingError(.invalid, code: "json_field_required", field: name) }
        return value
    }

    public func optionalString(_ name: String) throws -> String? {
        switch members[name] {
        case .none, .some(.null): return nil
        case .some(.string(let text)): return text
        default: throw Self.wrongType(name, "string")
        }
    }

    public func int(_ name: String) throws -> Int {
        switch members[name] {
        case .none, .some(.null): throw UserFacingError(.invalid, code: "json_field_required", field: name)
        case .some(.integer(let value)): return value
        default: throw Self.wrongType(name, "integer")
        }
    }

    public func optionalBool(_ name: String) throws -> Bool? {
        switch members[name] {
        case .none, .some(.null): return nil
        case .some(.bool(let value)): return value
        default: throw Self.wrongType(name, "boolean")
        }
    }
}

/// Any JSON value, decoded strictly (a number is never a boolean, a boolean never a number).
enum AnyJSON: Decodable {
    case object([String: AnyJSON]), array([AnyJSON]), string(String), integer(Int), number, bool(Bool), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if (try? container.decode(Double.self)) != nil { self = .number }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([AnyJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: AnyJSON].self)) }
    }

    var field: JSONBody.JSONField {
        switch self {
        case .null: return .null
        case .string(let text): return .string(text)
        case .integer(let value): return .integer(value)
        case .bool(let value): return .bool(value)
        case .array(let elements):
            var ints: [Int] = []
            for element in elements {
                guard case .integer(let value) = element else { return .other }
                ints.append(value)
            }
            return .integers(ints)
        case .object, .number: return .other
        }
    }
}

extension JSONBody {
    /// An id given as a JSON integer or as digits in a string (as the CLI takes it).
    public func idText(_ name: String) throws -> String {
        switch members[name] {
        case .none, .some(.null): throw UserFacingError(.invalid, code: "json_field_required", field: name)
        case .some(.integer(let value)): return String(value)
        case .some(.string(let text)): return text
        default: throw Self.wrongType(name, "integer")
        }
    }
}
