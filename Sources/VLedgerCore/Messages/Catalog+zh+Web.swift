// Texts of the web pages, in Simplified Chinese. Keys: the same in Catalog+en+Web.swift.
extension Catalog {
    static let zhWeb: [String: String] = [
        "web.role.admin": "管理员",
        "web.role.office": "文明办",
        "web.role.organiser": "活动组织者",
        "web.role.staff": "工作人员",
        "web.role.none": "无角色",
    ]
}
