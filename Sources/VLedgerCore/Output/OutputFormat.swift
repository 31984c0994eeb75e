/// How a listing or report is printed: `table` for people, `json` and `csv` for programs (stdout only).
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, csv
}
