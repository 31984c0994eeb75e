// English messages of the evidence pack (issue 16 §5). Keys: as in Catalog+zh+Evidence.swift.
extension Catalog {
    static let enEvidence: [String: String] = [
        "field.visit": "visit",
        "help.evidence.abstract": "Write the evidence pack for the evaluation: indicator tables (xlsx, CSV, JSON), activities, definitions, manifest with sha256.",
        "help.evidence.asRecordedAt": "Read the records as they stood at this moment (default: the moment of the run, written into the manifest).",
        "help.evidence.discussion": "Example: vledger evidence --year 2025 --visit 2026-06-15 --out 测评材料-2025. Running it again with the manifest's --as-recorded-at writes the same bytes.",
        "help.evidence.out": "Folder to write into (created when missing; files of the same names are replaced).",
        "help.evidence.visit": "Day of the evaluation visit: adds the 12 months ending one month before it.",
        "rule.evidence_visit_range": "a visit day from 1951 on",
        "ui.evidence.commands_note": "Regenerates every file of this pack as it is (same bytes), then checks them.",
        "ui.evidence.done": "evidence pack: {count} files in {folder}",
        "ui.evidence.progress.activities": "reading the activities …",
        "ui.evidence.progress.files": "writing the files …",
        "ui.evidence.progress.metrics": "computing the indicators for {what} …",
        "ui.evidence.readme.built_up": "Built-up districts (the city row sums them)",
        "ui.evidence.readme.definitions": "Definitions and denominators",
        "ui.evidence.readme.intro": "The records as they stood at {at} (time zone {zone}); audit head {head}. The command below writes every file again, byte for byte; SHA256SUMS checks them.",
        "ui.evidence.readme.population": "Permanent residents (source, year) in force at that moment",
        "ui.evidence.readme.title": "Evidence pack {year}",
        "ui.evidence.readme.window": "Window for the visit on {visit}: {from} to {through}; registrations as of {through}, population year {year} (the year holding most of the window).",
        "ui.evidence.wrote": "wrote {file} ({bytes} bytes)",
    ]
}
