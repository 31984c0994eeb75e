import Foundation

/// How a wave asked its citizens (the evaluation's four ways); stored by its English code.
public enum SurveyMethod: String, Sendable, CaseIterable {
    case household, street, phone, online

    /// The word the office's sheets use.
    public var chinese: String {
        switch self {
        case .household: return "入户"
        case .street: return "街访"
        case .phone: return "电话"
        case .online: return "网络"
        }
    }

    /// The code or the Chinese word (`入户`, also `入户调查`).
    public static func parse(_ text: String, field: String = "method") throws -> SurveyMethod {
        let trimmed = SpreadsheetText.halfwidth(text).trimmingCharacters(in: .whitespaces)
        if let method = SurveyMethod(rawValue: trimmed.lowercased()) { return method }
        let word = trimmed.hasSuffix("调查") ? String(trimmed.dropLast(2)) : trimmed
        if let method = allCases.first(where: { $0.chinese == word }) { return method }
        throw RuleViolation(field: field, value: trimmed, code: "survey_wave_method_known")
    }
}
