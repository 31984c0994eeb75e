import Foundation
import PostgresLibPQ

public struct TrainingCourse: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let content: String
    public let studyMinutes: Int
    public let organiser: String
    public let organisationID: Int64?
    public let heldOn: CalendarDate
    public let attendees: Int
}

public struct TrainingAttendanceRow: Sendable, Equatable {
    public let courseID: Int64
    public let course: String
    public let heldOn: CalendarDate
    public let number: String
    public let name: String
    public let studyMinutes: Int
    public let certificateNumber: String?
    public let certificateExpiresOn: CalendarDate?
}

/// Registration training (0153): courses and attendance, apart from service hours.
public enum Training {
    /// Hours of study as people write them (`2`, `1.5`, `0.25`): a whole number of minutes.
    public static func studyMinutes(_ text: String, field: String = "hours") throws -> Int {
        let trimmed = SpreadsheetText.halfwidth(text).trimmingCharacters(in: .whitespaces)
        guard trimmed.range(of: #"^[0-9]{1,4}(\.[0-9]{1,2})?$"#, options: .regularExpression) != nil,
              let hours = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX")) else {
            throw RuleViolation(field: field, value: trimmed, code: "training_hours_format")
        }
        let minutes = hours * 60
        var rounded = minutes
        var copy = minutes
        NSDecimalRound(&rounded, &copy, 0, .plain)
        guard rounded == minutes, let whole = Int(exactly: NSDecimalNumber(decimal: rounded).int64Value), whole > 0, whole <= 10000 else {
            throw RuleViolation(field: field, value: trimmed, code: "training_hours_format")
        }
        return whole
    }

    public static func addCourse(name: String, content: String, hours: String, organiser: String, organisation: String?,
                                 on dateText: String, on db: isolated Connection) throws -> Int64 {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200 else { throw RuleViolation(field: "name", value: name, code: "training_course_name_present") }
        let content = content.trimmingCharacters(in: .whitespaces)
        guard !content.isEmpty, content.count <= 2000 else { throw RuleViolation(field: "content", value: nil, code: "training_course_content_present") }
        let minutes = try studyMinutes(hours)
        let organiser = organiser.trimmingCharacters(in: .whitespaces)
        guard !organiser.isEmpty, organiser.count <= 100 else {
            throw RuleViolation(field: "organiser", value: organiser, code: "training_course_organiser_present")
        }
        let organisationID = try organisation.map { try Organisations.resolve($0, on: db) }
        let date = try DateInput.parse(dateText, field: "on")
        return try db.query("""
            INSERT INTO training_course (name, content, study_minutes, organiser, organisation_id, held_on)
            VALUES (\(name), \(content), \(minutes), \(organiser), \(organisationID), \(date)) RETURNING id
            """).single().decode(0)
    }

    @discardableResult
    public static func attend(course: String, volunteer: String, hours: String?, certificate: String?, expires: String?,
                              on db: isolated Connection) throws -> Int64 {
        let courseID = try ActivityService.parseID(course, field: "course")
        guard try db.query("SELECT 1 FROM training_course WHERE id = \(courseID)").count == 1 else {
            throw RuleViolation(field: "course", value: String(courseID), code: "training_attendance_course_fkey")
        }
        let ref = try VolunteerLookup.resolve(volunteer, on: db)
        let minutes = try hours.map { try studyMinutes($0) }
        let certificate = certificate.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let expiresOn = try expires.map { try DateInput.parse($0, field: "expires") }
        return try db.query("""
            INSERT INTO training_attendance (course_id, volunteer_id, study_minutes, certificate_number, certificate_expires_on)
            VALUES (\(courseID), \(ref.id), \(minutes), \(certificate), \(expiresOn)) RETURNING id
            """).single().decode(0)
    }

    public static func courses(on db: isolated Connection) throws -> [TrainingCourse] {
        try db.query("""
            SELECT c.id, c.name, c.content, c.study_minutes, c.organiser, c.organisation_id, c.held_on,
                   (SELECT count(*) FROM training_attendance a WHERE a.course_id = c.id)
              FROM training_course c ORDER BY c.held_on, c.id
            """).map {
            TrainingCourse(id: try $0.decode(0), name: try $0.decode(1), content: try $0.decode(2), studyMinutes: try $0.decode(3),
                           organiser: try $0.decode(4), organisationID: try $0.decode(5), heldOn: try $0.decode(6), attendees: try $0.decode(7))
        }
    }

    static let attendanceRows: SQL = """
        SELECT c.id, c.name, c.held_on, v.number, v.name, a.study_minutes, a.certificate_number, a.certificate_expires_on
          FROM training_attendance a JOIN training_course c ON c.id = a.course_id
          CROSS JOIN LATERAL (SELECT l.number, l.name FROM vl_training_volunteer(a.volunteer_id) l) v
        """

    static func decodeAttendance(_ row: Row) throws -> TrainingAttendanceRow {
        TrainingAttendanceRow(courseID: try row.decode(0), course: try row.decode(1), heldOn: try row.decode(2), number: try row.decode(3),
                              name: try row.decode(4), studyMinutes: try row.decode(5), certificateNumber: try row.decode(6),
                              certificateExpiresOn: try row.decode(7))
    }

    public static func attendance(volunteer: String?, on db: isolated Connection) throws -> [TrainingAttendanceRow] {
        let id = try volunteer.map { try VolunteerLookup.resolve($0, on: db).id }
        return try db.query("\(attendanceRows) WHERE (\(id)::bigint IS NULL OR a.volunteer_id = \(id)) ORDER BY c.held_on, c.id, v.number")
            .map(decodeAttendance)
    }

    /// Certificates that expire within `days` days after `day` (today by default), expired ones not included.
    public static func expiring(withinDays days: Int, from day: String?, on db: isolated Connection) throws -> [TrainingAttendanceRow] {
        guard (0...3650).contains(days) else { throw RuleViolation(field: "within", value: String(days), code: "training_within_range") }
        let today = try Settings.today(timeZone: try Settings.load(db).timeZone, on: db)
        let start = try day.map { try DateInput.parse($0, field: "on") } ?? today
        return try db.query("""
            \(attendanceRows) WHERE a.certificate_expires_on >= \(start) AND a.certificate_expires_on <= \(start)::date + \(days)::int
            ORDER BY a.certificate_expires_on, v.number
            """).map(decodeAttendance)
    }
}
