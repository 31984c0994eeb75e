import Foundation
import PostgresLibPQ

/// Registering, moving, deregistering and correcting volunteers. Each function checks its rules
/// in Swift for a clear message; the database (0001 constraints, 0010 triggers) holds them too.
public enum VolunteerRegistry {
    /// Registers a volunteer and returns the new volunteer number.
    /// The same ID number twice is refused with the existing volunteer number, also when two
    /// staff members register the same person at the same moment.
    public static func register(_ request: RegistrationRequest, on db: isolated Connection) throws -> String {
        let valid = try validated(request, on: db)
        try RegistrationCheck.take([valid.idNumber.value], on: db)
        return try register(valid, on: db)
    }

    /// The request checked against the rules and the districts that exist.
    static func validated(_ request: RegistrationRequest, on db: isolated Connection) throws -> ValidRegistration {
        let settings = try Settings.load(db)
        let today = try Settings.today(timeZone: settings.timeZone, on: db)
        let code = request.district.trimmingCharacters(in: .whitespacesAndNewlines)
        let known = try db.query("SELECT code FROM district WHERE code = \(code)").map { try $0.decode(0, as: String.self) }
        let context = RegistrationContext(today: today, minimumAge: settings.minimumAge, districts: Set(known))
        return try RegistrationRules.validate(request, context: context)
    }

    /// A valid registration whose ID number the login has checked (0250).
    static func register(_ valid: ValidRegistration, on db: isolated Connection) throws -> String {
        try refuseExisting(valid.idNumber, on: db)
        do {
            return try db.transaction { tx in try insert(valid, on: tx) }
        } catch let error where SQLState.uniqueViolation.on("volunteer_id_number_unique") ~= error {
            // Another session registered the same person between our check and our insert; its row
            // is committed (a unique check waits for the other transaction), so this finds it.
            try refuseExisting(valid.idNumber, on: db)
            throw error
        }
    }

    static func insert(_ valid: ValidRegistration, on db: isolated Connection) throws -> String {
        let row = try db.query("""
            INSERT INTO volunteer (name, id_number, phone, registered_on, guardian_name, guardian_phone, guardian_consent_at)
            VALUES (\(valid.name), \(valid.idNumber.value), \(valid.phone.value), \(valid.registeredOn),
                    \(valid.guardian?.name), \(valid.guardian?.phone.value), CASE WHEN \(valid.guardian != nil) THEN clock_timestamp() END)
            RETURNING id, number
            """).single()
        let id: Int64 = try row.decode(0)
        try db.execute("""
            INSERT INTO volunteer_district (volunteer_id, district_code, effective_from)
            VALUES (\(id), \(valid.districtCode), \(valid.registeredOn))
            """)
        return try row.decode(1)
    }

    /// Throws "already registered as VL…" when the ID number is taken.
    static func refuseExisting(_ idNumber: IDNumber, field: String = "id_number", line: Int? = nil, on db: isolated Connection) throws {
        let existing = try db.query("""
            SELECT v.number, d.effective_on FROM volunteer v LEFT JOIN volunteer_deregistration d ON d.volunteer_id = v.id
            WHERE v.id_number = \(idNumber.value)
            """).first
        if let existing {
            // A deregistered person keeps their registration (and number): it is not made twice.
            let left = try existing.decode(1, as: CalendarDate?.self).map { ", deregistered on \($0)" } ?? ""
            throw RuleViolation(field: field, value: idNumber.masked,
                                code: "volunteer_id_number_unique_as", args: ["number": "\(try existing.decode(0, as: String.self))", "left": "\(left)"], line: line)
        }
    }

    /// A volunteer with the facts the date rules need, locked for the rest of the transaction so
    /// a concurrent move or deregistration cannot slip between check and write.
    struct Locked {
        let ref: VolunteerRef
        let registeredOn: CalendarDate
        let deregisteredOn: CalendarDate?
        let lastChange: CalendarDate
    }

    static func lock(_ key: String, on db: isolated Connection) throws -> Locked {
        let ref = try VolunteerLookup.resolve(key, on: db)
        guard let row = try db.query("""
            SELECT v.registered_on, d.effective_on,
                   (SELECT max(effective_from) FROM volunteer_district WHERE volunteer_id = v.id)
            FROM volunteer v LEFT JOIN volunteer_deregistration d ON d.volunteer_id = v.id
            WHERE v.id = \(ref.id) FOR UPDATE OF v
            """).first else {
            // Row-level security hides (and so cannot lock) another district's volunteer from staff.
            throw try VolunteerLookup.notReadable(ref, on: db)
        }
        return Locked(ref: ref, registeredOn: try row.decode(0), deregisteredOn: try row.decode(1), lastChange: try row.decode(2))
    }

    /// Moves a volunteer to another district from `on` (kept as history; metrics for earlier
    /// dates still count them where they were).
    public static func move(_ key: String, toDistrict code: String, on dateText: String, on db: isolated Connection) throws {
        let date = try DateInput.parse(dateText, field: "on")
        let district = try Districts.require(code, on: db)
        let today = try Settings.today(timeZone: try Settings.load(db).timeZone, on: db)
        let volunteer = try lock(key, on: db)
        let number = volunteer.ref.number
        guard date <= today else {
            throw RuleViolation(field: "on", value: date.description, code: "not_future_today", args: ["today": "\(today)"])
        }
        guard date > volunteer.registeredOn else {
            throw RuleViolation(field: "on", value: date.description,
                                code: "volunteer_district_after_registration", args: ["number": "\(number)", "registered_on": "\(volunteer.registeredOn)"])
        }
        if let left = volunteer.deregisteredOn, date >= left {
            throw RuleViolation(field: "on", value: date.description,
                                code: "volunteer_district_before_deregistration", args: ["number": "\(number)", "left": "\(left)"])
        }
        let history = try db.query("""
            SELECT effective_from, district_code FROM volunteer_district WHERE volunteer_id = \(volunteer.ref.id) ORDER BY effective_from
            """).map { (try $0.decode(0, as: CalendarDate.self), try $0.decode(1, as: String.self)) }
        if history.contains(where: { $0.0 == date }) {
            throw RuleViolation(field: "on", value: date.description, code: "volunteer_district_one_per_day_of", args: ["number": "\(number)"])
        }
        if let current = history.last(where: { $0.0 < date }), current.1 == district.code {
            throw RuleViolation(field: "district", value: district.code, code: "district_already_current", args: ["number": "\(number)", "date": "\(date)"])
        }
        try db.execute("""
            INSERT INTO volunteer_district (volunteer_id, district_code, effective_from)
            VALUES (\(volunteer.ref.id), \(district.code), \(date))
            """)
    }

    /// Deregisters a volunteer from `on`, once, with a reason. The volunteer's record and history stay.
    public static func deregister(_ key: String, on dateText: String, reason: String, on db: isolated Connection) throws {
        let date = try DateInput.parse(dateText, field: "on")
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw RuleViolation(field: "reason", value: nil, code: "required") }
        let today = try Settings.today(timeZone: try Settings.load(db).timeZone, on: db)
        let volunteer = try lock(key, on: db)
        let number = volunteer.ref.number
        if let left = volunteer.deregisteredOn {
            throw RuleViolation(field: "volunteer", value: number, code: "already_deregistered", args: ["left": "\(left)"])
        }
        guard date <= today else {
            throw RuleViolation(field: "on", value: date.description, code: "not_future_today", args: ["today": "\(today)"])
        }
        guard date >= volunteer.registeredOn else {
            throw RuleViolation(field: "on", value: date.description,
                                code: "volunteer_deregistration_after_registration", args: ["number": "\(number)", "registered_on": "\(volunteer.registeredOn)"])
        }
        if volunteer.lastChange > volunteer.registeredOn, date <= volunteer.lastChange {
            throw RuleViolation(field: "on", value: date.description,
                                code: "volunteer_deregistration_after_moves", args: ["number": "\(number)", "moved_on": "\(volunteer.lastChange)"])
        }
        try db.execute("""
            INSERT INTO volunteer_deregistration (volunteer_id, effective_on, reason) VALUES (\(volunteer.ref.id), \(date), \(reason))
            """)
    }

    /// Corrects a mistyped name or phone; the earlier value is kept in volunteer_correction.
    /// ID number and registration date identify the registration and cannot be edited.
    public static func update(_ key: String, name: String?, phone: String?, on db: isolated Connection) throws -> VolunteerRef {
        guard name != nil || phone != nil else {
            throw RuleViolation(field: "volunteer", value: nil, code: "correction_nothing")
        }
        let newName = try name.map { try RegistrationRules.personName($0, field: "name") }
        let newPhone = try phone.map { try Phone($0, field: "phone") }
        let volunteer = try lock(key, on: db)
        try db.execute("""
            UPDATE volunteer SET name = coalesce(\(newName), name), phone = coalesce(\(newPhone?.value), phone)
            WHERE id = \(volunteer.ref.id)
            """)
        return try VolunteerLookup.resolve(volunteer.ref.number, on: db)
    }
}
