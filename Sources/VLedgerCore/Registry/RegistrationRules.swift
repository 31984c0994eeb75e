import Foundation
import PostgresLibPQ

/// What a person typed (or a spreadsheet row held) to register a volunteer, not yet checked.
public struct RegistrationRequest: Sendable, Equatable {
    public var name: String
    public var idNumber: String
    public var phone: String
    public var district: String
    /// nil: today in the city's time zone.
    public var registeredOn: String?
    public var guardianName: String?
    public var guardianPhone: String?
    public var guardianConsent: Bool

    public init(
        name: String, idNumber: String, phone: String, district: String, registeredOn: String? = nil,
        guardianName: String? = nil, guardianPhone: String? = nil, guardianConsent: Bool = false
    ) {
        self.name = name
        self.idNumber = idNumber
        self.phone = phone
        self.district = district
        self.registeredOn = registeredOn
        self.guardianName = guardianName
        self.guardianPhone = guardianPhone
        self.guardianConsent = guardianConsent
    }
}

public struct Guardian: Sendable, Hashable {
    public let name: String
    public let phone: Phone
}

/// A registration that keeps every rule SPEC.md sets for volunteers.
public struct ValidRegistration: Sendable, Hashable {
    public let name: String
    public let idNumber: IDNumber
    public let phone: Phone
    public let districtCode: String
    public let registeredOn: CalendarDate
    /// Present (with consent) for a volunteer under 18 at registration; may be given for adults.
    public let guardian: Guardian?
}

/// The facts a registration is checked against, read once (an import checks 100,000 rows
/// against them without a query per row).
public struct RegistrationContext: Sendable {
    public var today: CalendarDate
    public var minimumAge: Int
    public var districts: Set<String>

    public init(today: CalendarDate, minimumAge: Int, districts: Set<String>) {
        self.today = today
        self.minimumAge = minimumAge
        self.districts = districts
    }

    public static func load(on db: isolated Connection) throws -> RegistrationContext {
        let settings = try Settings.load(db)
        let today = try Settings.today(timeZone: settings.timeZone, on: db)
        let districts = try db.query("SELECT code FROM district").map { try $0.decode(0, as: String.self) }
        return RegistrationContext(today: today, minimumAge: settings.minimumAge, districts: Set(districts))
    }
}

public enum RegistrationRules {
    /// Field names in errors: the CLI's words by default, an import passes its column names.
    public struct FieldNames: Sendable {
        public var district = "district"
        public var guardianConsent = "guardian_consent"
        /// How the person gives consent, for the error: a flag on the command line, a column in a file.
        public var consentHint = "--guardian-consent"
        public init(district: String, consentHint: String) {
            self.district = district
            self.consentHint = consentHint
        }
        public static let cli = FieldNames(district: "district", consentHint: "--guardian-consent")
        public static let csv = FieldNames(district: "district_code", consentHint: "guardian_consent=yes")
    }

    /// Every rule a registration keeps, in the order a person would fix them; the first broken
    /// one is thrown as a one-line RuleViolation with personal values masked.
    public static func validate(
        _ request: RegistrationRequest, context: RegistrationContext, fields: FieldNames = .cli, line: Int? = nil
    ) throws -> ValidRegistration {
        do {
            return try check(request, context: context, fields: fields)
        } catch var violation as RuleViolation {
            violation.line = line
            throw violation
        }
    }

    static func check(_ request: RegistrationRequest, context: RegistrationContext, fields: FieldNames) throws -> ValidRegistration {
        let name = try personName(request.name, field: "name")
        let idNumber = try IDNumber(request.idNumber, field: "id_number")
        let phone = try Phone(request.phone, field: "phone")
        let code = SpreadsheetText.halfwidth(request.district).trimmingOuterWhitespace
        guard context.districts.contains(code) else {
            throw RuleViolation(field: fields.district, value: code, code: code.isEmpty ? "required" : "no_such_district")
        }
        let registeredOn: CalendarDate
        if let text = request.registeredOn?.trimmingOuterWhitespace, !text.isEmpty {
            registeredOn = try CalendarDate(iso: text) ?? DateInput.parse(text, field: "registered_on")
        } else {
            registeredOn = context.today
        }
        guard registeredOn <= context.today else {
            throw RuleViolation(field: "registered_on", value: registeredOn.description,
                                code: "not_future_today", args: ["today": "\(context.today)"])
        }
        let birth = idNumber.birthDate
        guard birth <= registeredOn else {
            throw RuleViolation(field: "registered_on", value: registeredOn.description,
                                code: "volunteer_born_before_registration")
        }
        let age = birth.wholeYears(until: registeredOn)
        guard age >= context.minimumAge else {
            throw RuleViolation(field: "id_number", value: idNumber.masked,
                                code: "volunteer_minimum_age", args: ["minimum": "\(context.minimumAge)", "registered_on": "\(registeredOn)", "age": "\(age)"])
        }
        let guardian = try self.guardian(request, minor: age < 18, age: age, fields: fields)
        return ValidRegistration(name: name, idNumber: idNumber, phone: phone, districtCode: code, registeredOn: registeredOn, guardian: guardian)
    }

    static func guardian(_ request: RegistrationRequest, minor: Bool, age: Int, fields: FieldNames) throws -> Guardian? {
        let name = request.guardianName?.trimmingOuterWhitespace ?? ""
        let phoneText = request.guardianPhone?.trimmingOuterWhitespace ?? ""
        if !minor, name.isEmpty, phoneText.isEmpty, !request.guardianConsent { return nil }
        // A minor must have all three; an adult may have a guardian recorded, but then all three too.
        // The English consent rule begins with this; the catalog words it per language.
        let needs = minor ? "a volunteer aged \(age) at registration (under 18) needs" : "guardian details go together:"
        let code = minor ? "guardian_required_minor" : "guardian_together"
        let args = minor ? ["age": String(age)] : [:]
        guard !name.isEmpty else {
            throw RuleViolation(field: "guardian_name", value: nil, code: code, args: args)
        }
        let guardianName = try personName(name, field: "guardian_name")
        guard !phoneText.isEmpty else {
            throw RuleViolation(field: "guardian_phone", value: nil, code: code, args: args)
        }
        let phone = try Phone(phoneText, field: "guardian_phone")
        guard request.guardianConsent else {
            throw RuleViolation(field: fields.guardianConsent, value: nil,
                                code: "guardian_consent", args: ["needs": "\(needs)", "hint": "\(fields.consentHint)"])
        }
        return Guardian(name: guardianName, phone: phone)
    }

    /// A real name: not empty, at most 100 characters, no control characters.
    public static func personName(_ text: String, field: String) throws -> String {
        let name = text.trimmingOuterWhitespace
        guard !name.isEmpty else { throw RuleViolation(field: field, value: nil, code: "required") }
        guard name.count <= 100 else { throw RuleViolation(field: field, value: String(name.prefix(20)) + "…", code: "name_too_long") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw RuleViolation(field: field, value: name, code: "no_control_characters")
        }
        return name
    }

    /// Spreadsheet words for a guardian's consent.
    public static func consent(_ text: String, line: Int?, field: String = "guardian_consent") throws -> Bool {
        if text.isEmpty { return false }
        switch text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "", "no", "n", "false", "0", "否", "无": return false
        case "yes", "y", "true", "1", "是", "有", "同意": return true
        default:
            throw RuleViolation(field: field, value: text, code: "yes_or_no", line: line)
        }
    }
}
