import Foundation

/// Reads an .xlsx back with a real reader, openpyxl (PyPI), so the tests check what Excel-like
/// software sees, not what our writer meant. `.ci/run` and `deploy/setup.sh` install it; when it is
/// still missing the first use tries `pip install openpyxl` once.
public enum SpreadsheetReader {
    /// A cell as openpyxl gives it, by its Python type.
    public enum Cell: Sendable, Equatable, CustomStringConvertible {
        case int(Int), float(Double), bool(Bool), text(String), none

        public var description: String {
            switch self {
            case .int(let v): return String(v)
            case .float(let v): return String(v)
            case .bool(let v): return String(v)
            case .text(let v): return v
            case .none: return ""
            }
        }
    }

    public struct Book: Sendable {
        /// Sheet names in workbook order.
        public let names: [String]
        public let sheets: [String: [[Cell]]]
    }

    static let script = """
        import json, sys
        import openpyxl
        book = openpyxl.load_workbook(sys.argv[1])
        out = {"names": book.sheetnames, "sheets": {}}
        for ws in book.worksheets:
            out["sheets"][ws.title] = [[[type(c.value).__name__, c.value if isinstance(c.value, (int, float, str)) or c.value is None else str(c.value)]
                                        for c in row] for row in ws.iter_rows()]
        print(json.dumps(out, ensure_ascii=False))
        """

    /// nil when python3 itself is missing (then the tests that need it say so and are skipped).
    public static var available: Bool {
        (try? python(["-c", "import sys"]).status) == 0
    }

    public static func read(_ file: URL) throws -> Book {
        try ensureOpenpyxl()
        let result = try python(["-c", script, file.path])
        guard result.status == 0 else { throw ReaderError(message: "openpyxl could not read \(file.path): \(result.stderr)") }
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let sheets = (object["sheets"] as! [String: [[[Any]]]]).mapValues { rows in rows.map { row in row.map(Self.cell) } }
        return Book(names: object["names"] as! [String], sheets: sheets)
    }

    static func cell(_ pair: [Any]) -> Cell {
        switch pair[0] as! String {
        case "bool": return .bool((pair[1] as! NSNumber).boolValue)
        case "int": return .int((pair[1] as! NSNumber).intValue)
        case "float": return .float((pair[1] as! NSNumber).doubleValue)
        case "str": return .text(pair[1] as! String)
        default: return .none
        }
    }

    public struct ReaderError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    static let installLock = NSLock()
    nonisolated(unsafe) static var checked = false

    static func ensureOpenpyxl() throws {
        installLock.lock()
        defer { installLock.unlock() }
        guard !checked else { return }
        if try python(["-c", "import openpyxl"]).status != 0 {
            _ = try python(["-m", "pip", "install", "--quiet", "openpyxl"])
            guard try python(["-c", "import openpyxl"]).status == 0 else {
                throw ReaderError(message: "openpyxl is not installed and `python3 -m pip install openpyxl` failed: run bash .ci/run or pip install openpyxl")
            }
        }
        checked = true
    }

    static func python(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
