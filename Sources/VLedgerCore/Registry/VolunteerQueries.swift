import Foundation
import PostgresLibPQ

/// A volunteer as listed: personal values unmasked here, masked by the output unless revealed.
public struct VolunteerListing: Sendable, Equatable {
    public let number: String
    public let name: String
    public let idNumber: String
    public let phone: String
    public let districtCode: String
    public let districtName: String
    public let registeredOn: CalendarDate
    public let deregisteredOn: CalendarDate?
    public let guardianName: String?
    public let guardianPhone: String?
    /// For the inactive list: net approved minutes in the year (≤ 0 there).
    public let approvedMinutes: Int64?
}

public struct VolunteerListQuery: Sendable {
    /// The day whose register is listed (district on that day); nil = today in the city.
    public var asOf: CalendarDate?
    public var district: String?
    /// Part of a name, part of a phone number, a volunteer number, or an ID number.
    public var search: String?
    /// Also list volunteers who left (deregistered on or before the day) or registered later.
    public var includeDeregistered: Bool

    public init(asOf: CalendarDate? = nil, district: String? = nil, search: String? = nil, includeDeregistered: Bool = false) {
        self.asOf = asOf
        self.district = district
        self.search = search
        self.includeDeregistered = includeDeregistered
    }
}

public struct VolunteerDetails: Sendable {
    public struct DistrictPeriod: Sendable {
        public let effectiveFrom: CalendarDate
        public let code: String
        public let name: String
        public let recordedBy: String
        public let recordedAt: Date
    }
    public struct Deregistration: Sendable {
        public let effectiveOn: CalendarDate
        public let reason: String
        public let recordedBy: String
        public let recordedAt: Date
    }
    public struct Correction: Sendable {
        public let field: String
        public let oldValue: String
        public let newValue: String
        public let recordedBy: String
        public let recordedAt: Date
    }

    public let number: String
    public let name: String
    public let idType: String
    public let idNumber: String
    public let sex: String
    /// nil when the login may not read it (it follows from the ID number).
    public let birthDate: CalendarDate?
    public let phone: String
    public let registeredOn: CalendarDate
    public let consentRecordedAt: Date
    public let guardianName: String?
    public let guardianPhone: String?
    public let guardianConsentAt: Date?
    public let recordedBy: String
    public let recordedAt: Date
    public let districts: [DistrictPeriod]
    public let deregistration: Deregistration?
    public let corrections: [Correction]
}

public enum VolunteerQueries {
    static let listColumns: SQL = """
        v.number, v.name, v.id_number, v.phone, cur.district_code, d.name, v.registered_on, dr.effective_on,
        v.guardian_name, v.guardian_phone
        """

    public static func list(_ query: VolunteerListQuery, on db: isolated Connection) throws -> [VolunteerListing] {
        let settings = try Settings.load(db)
        let day = try query.asOf ?? Settings.today(timeZone: settings.timeZone, on: db)
        if let district = query.district { _ = try Districts.require(district, on: db) }
        var conditions: [SQL] = []
        if !query.includeDeregistered {
            conditions.append("v.registered_on <= \(day) AND (dr.effective_on IS NULL OR dr.effective_on > \(day))")
        }
        if let district = query.district?.trimmingCharacters(in: .whitespaces) {
            conditions.append("cur.district_code = \(district)")
        }
        if let search = query.search?.trimmingCharacters(in: .whitespacesAndNewlines), !search.isEmpty {
            conditions.append(searchCondition(search))
        }
        let filter: SQL = conditions.isEmpty ? "" : "WHERE " + SQL.joined(conditions, separator: " AND ")
        // The district on the day; a volunteer listed before their registration shows the first one.
        // Logins that may read the personal columns read the table (its policies choose the rows);
        // organisers and the office read volunteer_masked (0042), the same row rule with those
        // columns masked. Not the view for everyone: it costs about 3× on a city's whole list.
        let mayReadPersonal: Bool = try db.query("SELECT has_column_privilege('volunteer', 'phone', 'SELECT')").single().decode(0)
        let source: SQL = mayReadPersonal ? "volunteer" : "volunteer_masked"
        let rows = try db.query("""
            SELECT \(listColumns)
            FROM \(source) v
            JOIN LATERAL (
                SELECT vd.district_code FROM volunteer_district vd WHERE vd.volunteer_id = v.id
                ORDER BY (vd.effective_from <= \(day)) DESC, CASE WHEN vd.effective_from <= \(day) THEN vd.effective_from END DESC, vd.effective_from
                LIMIT 1
            ) cur ON true
            JOIN district d ON d.code = cur.district_code
            LEFT JOIN volunteer_deregistration dr ON dr.volunteer_id = v.id
            \(filter)
            ORDER BY v.number
            """)
        return try rows.map { try listing($0, minutes: nil) }
    }

    static func searchCondition(_ text: String) -> SQL {
        let upper = text.uppercased()
        var alternatives: [SQL] = ["strpos(v.name, \(text)) > 0", "v.number = \(upper)"]
        let digits = text.filter { !$0.isWhitespace && $0 != "-" }
        if digits.count >= 4, digits.allSatisfy(\.isASCIIDigit) {
            alternatives.append("strpos(v.phone, \(digits)) > 0")
        }
        if let id = try? IDNumber(text) {
            alternatives.append("v.id_number = \(id.value)")
        }
        return "(" + SQL.joined(alternatives, separator: " OR ") + ")"
    }

    static func listing(_ row: Row, minutes: Int64?) throws -> VolunteerListing {
        VolunteerListing(
            number: try row.decode(0), name: try row.decode(1), idNumber: try row.decode(2), phone: try row.decode(3),
            districtCode: try row.decode(4), districtName: try row.decode(5), registeredOn: try row.decode(6),
            deregisteredOn: try row.decode(7), guardianName: try row.decode(8), guardianPhone: try row.decode(9),
            approvedMinutes: minutes)
    }

    /// Volunteers registered on the reference day D (default Y-12-31), counted in their district on
    /// D, whose net approved minutes over entries starting in year Y (city time) and on or before D
    /// are not above zero: the people the office's outreach should call.
    public static func inactive(year: Int, asOf: CalendarDate? = nil, district: String? = nil, on db: isolated Connection) throws -> [VolunteerListing] {
        let year = try Population.year(year)
        let day = asOf ?? CalendarDate(year: year, month: 12, day: 31)!
        if let district { _ = try Districts.require(district, on: db) }
        let rows = try db.query("""
            WITH bounds AS (
                SELECT make_timestamptz(\(year), 1, 1, 0, 0, 0, vl_time_zone()) AS starts,
                       least(make_timestamptz(\(year) + 1, 1, 1, 0, 0, 0, vl_time_zone()),
                             (\(day)::date + 1)::timestamp AT TIME ZONE vl_time_zone()) AS ends
            ),
            registered AS (
                SELECT v.id, cur.district_code
                FROM volunteer v
                JOIN LATERAL (
                    SELECT vd.district_code FROM volunteer_district vd
                    WHERE vd.volunteer_id = v.id AND vd.effective_from <= \(day)
                    ORDER BY vd.effective_from DESC LIMIT 1
                ) cur ON true
                WHERE v.registered_on <= \(day)
                  AND NOT EXISTS (SELECT 1 FROM volunteer_deregistration x WHERE x.volunteer_id = v.id AND x.effective_on <= \(day))
                  AND (\(district)::text IS NULL OR cur.district_code = \(district))
            ),
            minutes AS (
                SELECT e.volunteer_id, sum(e.minutes)::bigint AS minutes
                FROM hours_entry e
                JOIN hours_decision h ON h.entry_id = e.id AND h.decision = 'approved'
                CROSS JOIN bounds b
                WHERE e.volunteer_id IN (SELECT id FROM registered)
                  AND e.service_start >= b.starts AND e.service_start < b.ends
                GROUP BY e.volunteer_id
            )
            SELECT v.number, v.name, v.id_number, v.phone, r.district_code, d.name, v.registered_on, dr.effective_on,
                   v.guardian_name, v.guardian_phone, coalesce(m.minutes, 0)
            FROM registered r
            -- volunteer_masked (0042): personal data in full for those who may read it, masked for
            -- the office (whose column grants leave out id_number and phone).
            JOIN volunteer_masked v ON v.id = r.id
            JOIN district d ON d.code = r.district_code
            LEFT JOIN volunteer_deregistration dr ON dr.volunteer_id = v.id
            LEFT JOIN minutes m ON m.volunteer_id = v.id
            WHERE coalesce(m.minutes, 0) <= 0
            ORDER BY r.district_code, v.number
            """)
        return try rows.map { try listing($0, minutes: try $0.decode(10, as: Int64.self)) }
    }

    public static func show(_ key: String, on db: isolated Connection) throws -> VolunteerDetails {
        let ref = try VolunteerLookup.resolve(key, on: db)
        // volunteer_masked (0042): every role that may read the volunteer, personal data in full only
        // for those allowed; a volunteer of another district is simply not there for staff.
        guard let row = try db.query("""
            SELECT number, name, id_type, id_number, sex, birth_date, phone, registered_on, consent_recorded_at,
                   guardian_name, guardian_phone, guardian_consent_at, recorded_by, recorded_at
            FROM volunteer_masked WHERE id = \(ref.id)
            """).first else {
            throw try VolunteerLookup.notReadable(ref, on: db)
        }
        let districts = try db.query("""
            SELECT vd.effective_from, vd.district_code, d.name, vd.recorded_by, vd.recorded_at
            FROM volunteer_district vd JOIN district d ON d.code = vd.district_code
            WHERE vd.volunteer_id = \(ref.id) ORDER BY vd.effective_from
            """).map { row in
            VolunteerDetails.DistrictPeriod(effectiveFrom: try row.decode(0), code: try row.decode(1), name: try row.decode(2),
                                            recordedBy: try row.decode(3), recordedAt: try row.decode(4))
        }
        let deregistration = try db.query("""
            SELECT effective_on, reason, recorded_by, recorded_at FROM volunteer_deregistration WHERE volunteer_id = \(ref.id)
            """).first.map { row in
            VolunteerDetails.Deregistration(effectiveOn: try row.decode(0), reason: try row.decode(1),
                                            recordedBy: try row.decode(2), recordedAt: try row.decode(3))
        }
        let corrections = try db.query("""
            SELECT field, old_value, new_value, recorded_by, recorded_at FROM volunteer_correction
            WHERE volunteer_id = \(ref.id) ORDER BY recorded_at, id
            """).map { row in
            VolunteerDetails.Correction(field: try row.decode(0), oldValue: try row.decode(1), newValue: try row.decode(2),
                                        recordedBy: try row.decode(3), recordedAt: try row.decode(4))
        }
        return VolunteerDetails(
            number: try row.decode(0), name: try row.decode(1), idType: try row.decode(2), idNumber: try row.decode(3),
            sex: try row.decode(4), birthDate: try row.decode(5), phone: try row.decode(6), registeredOn: try row.decode(7),
            consentRecordedAt: try row.decode(8), guardianName: try row.decode(9), guardianPhone: try row.decode(10),
            guardianConsentAt: try row.decode(11), recordedBy: try row.decode(12), recordedAt: try row.decode(13),
            districts: districts, deregistration: deregistration, corrections: corrections)
    }
}
