import Foundation

public enum PopulationOutput {
    public static func render(_ figures: [PopulationFigure], format: OutputFormat, revisions: Bool) -> String {
        var header = ["district_code", "district_name", "year", "residents", "source", "recorded_by", "recorded_at"]
        if revisions { header.append("in_force") }
        func cells(_ f: PopulationFigure) -> [String] {
            var row = [f.districtCode, f.districtName, String(f.year), String(f.residents), f.source ?? "", f.recordedBy, RegistryTimestamp.iso(f.recordedAt)]
            if revisions { row.append(f.inForce ? "yes" : "") }
            return row
        }
        switch format {
        case .csv:
            return CSVWriter.document(header: header, rows: figures.map(cells))
        case .json:
            return JSONValue.array(figures.map { f in
                var members: [(String, JSONValue)] = [
                    ("district_code", .string(f.districtCode)), ("district_name", .string(f.districtName)), ("year", .int(f.year)),
                    ("residents", .int(f.residents)), ("source", f.source.map { .string($0) } ?? .null),
                    ("recorded_by", .string(f.recordedBy)), ("recorded_at", .string(RegistryTimestamp.iso(f.recordedAt))),
                ]
                if revisions { members.append(("in_force", .bool(f.inForce))) }
                return .object(members)
            }).rendered() + "\n"
        case .table:
            var table = TextTable(header: header)
            table.alignments[3] = .right
            figures.forEach { table.append(cells($0)) }
            return table.rendered()
        }
    }
}
