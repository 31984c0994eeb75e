import Foundation

/// Progress and diagnostics go to standard error, so that standard output carries only results.
public enum StandardError {
    public static func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Progress of long work (imports, sample data, benchmarks), at most a few lines a second.
public final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let total: Int?
    private let lock = NSLock()
    private var lastReport = Date.distantPast
    private let quiet: Bool

    public init(label: String, total: Int? = nil, quiet: Bool = false) {
        self.label = label
        self.total = total
        self.quiet = quiet
    }

    public func update(_ done: Int, force: Bool = false) {
        guard !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard force || now.timeIntervalSince(lastReport) >= 0.5 else { return }
        lastReport = now
        if let total, total > 0 {
            StandardError.write("\(shownLabel)\(tr("ui.field_separator"))\(done)/\(total) (\(done * 100 / total)%)")
        } else {
            StandardError.write("\(shownLabel)\(tr("ui.field_separator"))\(done)")
        }
    }

    public func finish(_ message: String) {
        guard !quiet else { return }
        StandardError.write("\(shownLabel)\(tr("ui.field_separator"))\(message)")
    }

    /// The label in the chosen language when the catalog names it (`ui.progress.LABEL`).
    var shownLabel: String {
        Catalog.has("ui.progress.\(label)") ? tr("ui.progress.\(label)") : label
    }
}
