import ArgumentParser
import Foundation
import VLedgerCore

/// `--format` of listings and reports that people open in a spreadsheet.
enum SheetFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, xlsx

    /// The text format, nil for xlsx.
    var text: OutputFormat? {
        switch self {
        case .table: return .table
        case .json: return .json
        case .csv: return .csv
        case .xlsx: return nil
        }
    }
}

/// Where such output goes: standard output or `--out FILE`; `--excel` makes CSV for people.
struct SheetOutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp(tr("help.sheet_output.out"), valueName: "file"))
    var out: String?
    @Flag(help: ArgumentHelp(tr("help.sheet_output.excel")))
    var excel = false

    init() {}

    init(out: String?) {
        self.out = out
    }

    func check(_ format: SheetFormat) throws {
        if excel && format != .csv { throw ValidationError(tr("error.usage_excel_needs_csv")) }
        if format == .xlsx && out == nil && isatty(STDOUT_FILENO) == 1 {
            throw ValidationError(tr("error.usage_xlsx_needs_out"))
        }
    }

    /// Prints `text` (already rendered for `format`) or writes the workbook.
    func emit(_ format: SheetFormat, text: () -> String, workbook: () -> Workbook) throws {
        switch format {
        case .xlsx: try write(workbook().data())
        case .csv where excel: try write(ExcelCSV.bytes(text()))
        default:
            if out == nil {
                print(text(), terminator: "")
            } else {
                try write(Array(text().utf8))
            }
        }
    }

    func write(_ bytes: [UInt8]) throws {
        if let out {
            do {
                try Data(bytes).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw UserFacingError.error(.configuration, "cannot_write", ["file": out, "detail": error.localizedDescription])
            }
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}
