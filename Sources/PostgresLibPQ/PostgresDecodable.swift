import Foundation

/// Type OIDs of the built-in types this layer reads (pg_type.oid; fixed across servers).
public enum PostgresType {
    public static let bool: UInt32 = 16
    public static let name: UInt32 = 19
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let oid: UInt32 = 26
    public static let json: UInt32 = 114
    public static let float4: UInt32 = 700
    public static let float8: UInt32 = 701
    public static let unknown: UInt32 = 705
    public static let bpchar: UInt32 = 1042
    public static let varchar: UInt32 = 1043
    public static let date: UInt32 = 1082
    public static let timestamp: UInt32 = 1114
    public static let timestamptz: UInt32 = 1184
    public static let numeric: UInt32 = 1700
    public static let uuid: UInt32 = 2950
    public static let jsonb: UInt32 = 3802

    static let integers: Set<UInt32> = [int2, int4, int8, oid]

    /// The SQL name of a type, for error messages.
    static func displayName(_ oid: UInt32) -> String {
        switch oid {
        case bool: return "boolean"
        case name: return "name"
        case int8: return "bigint"
        case int2: return "smallint"
        case int4: return "integer"
        case text: return "text"
        case PostgresType.oid: return "oid"
        case json: return "json"
        case float4: return "real"
        case float8: return "double precision"
        case unknown: return "unknown"
        case bpchar: return "character"
        case varchar: return "character varying"
        case date: return "date"
        case timestamp: return "timestamp without time zone"
        case timestamptz: return "timestamp with time zone"
        case numeric: return "numeric"
        case uuid: return "uuid"
        case jsonb: return "jsonb"
        default: return "type oid \(oid)"
        }
    }
}

/// A Swift type a column value (text format) can be read into.
public protocol PostgresDecodable: Sendable {
    /// Column types this Swift type accepts; nil accepts any (text).
    static var acceptedTypes: Set<UInt32>? { get }
    /// Parses PostgreSQL's text output; nil when the text is not a valid value.
    init?(postgresText: String)
}

extension String: PostgresDecodable {
    public static var acceptedTypes: Set<UInt32>? { nil }
    public init?(postgresText: String) { self = postgresText }
}

extension Int: PostgresDecodable {
    public static var acceptedTypes: Set<UInt32>? { PostgresType.integers }
    public init?(postgresText: String) { self.init(postgresText, radix: 10) }
}

extension Int64: PostgresDecodable {
    public static var acceptedTypes: Set<UInt32>? { PostgresType.integers }
    public init?(postgresText: String) { self.init(postgresText, radix: 10) }
}

extension Int32: PostgresDecodable {
    public static var acceptedTypes: Set<UInt32>? { [PostgresType.int2, PostgresType.int4] }
    public init?(postgresText: String) { self.init(postgresText, radix: 10) }
}

extension Bool: PostgresDecodable {
    public static var acceptedTypes: Set<UInt32>? { [PostgresType.bool] }
    public init?(postgresText: String) {
        switch postgresText {
        case "t": self = true
        case "f": self = false
        default: return nil
        }
    }
}

extension Double: PostgresDecodable {
    public static var acceptedTypes: Set<UInt32>? { [PostgresType.float4, PostgresType.float8] }
    public init?(postgresText: String) { self.init(postgresText) }
}

/// `numeric` read exactly, digit for digit, never through a binary float.
extension Decimal: PostgresDecodable {
    public static var acceptedTypes: Set<UInt32>? { PostgresType.integers.union([PostgresType.numeric]) }
    /// `Decimal` holds 38 significant digits; a longer numeric would come back silently rounded,
    /// so the value is accepted only if it prints as the very number the server sent.
    public init?(postgresText: String) {
        guard let exact = NumericText.canonical(postgresText),
              let value = Decimal(string: postgresText, locale: Locale(identifier: "en_US_POSIX")),
              NumericText.canonical(value.description) == exact
        else { return nil }
        self = value
    }
}

enum NumericText {
    /// `-0012.3400` → `-12.34`; nil for anything but plain decimal digits (NaN, Infinity, exponents).
    static func canonical(_ text: String) -> String? {
        var body = Substring(text)
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        let pieces = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = pieces.first, pieces.count <= 2, !(whole.isEmpty && pieces.count == 1),
              pieces.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        let integer = whole.drop { $0 == "0" }
        var fraction = pieces.count == 2 ? pieces[1] : ""
        while fraction.last == "0" { fraction = fraction.dropLast() }
        let digits = (integer.isEmpty ? "0" : String(integer)) + (fraction.isEmpty ? "" : "." + fraction)
        return negative && digits != "0" ? "-" + digits : digits
    }
}

extension Date: PostgresDecodable {
    /// Only `timestamptz`: a `timestamp` without zone names no instant.
    public static var acceptedTypes: Set<UInt32>? { [PostgresType.timestamptz] }
    public init?(postgresText: String) {
        guard let date = TimestampText.parse(postgresText) else { return nil }
        self = date
    }
}

extension CalendarDate: PostgresDecodable {
    public static var acceptedTypes: Set<UInt32>? { [PostgresType.date] }
    public init?(postgresText: String) { self.init(iso: postgresText) }
}

extension UUID: PostgresDecodable {
    public static var acceptedTypes: Set<UInt32>? { [PostgresType.uuid] }
    public init?(postgresText: String) { self.init(uuidString: postgresText) }
}
