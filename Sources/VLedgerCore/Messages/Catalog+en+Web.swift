// Texts of the web pages, in English. Keys: the same in Catalog+zh+Web.swift.
extension Catalog {
    static let enWeb: [String: String] = [
        "web.role.admin": "administrator",
        "web.role.office": "civilisation office",
        "web.role.organiser": "activity organiser",
        "web.role.staff": "staff",
        "web.role.none": "no role",
    ]
}
