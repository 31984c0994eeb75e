import Foundation
import PostgresLibPQ

/// The language people read: Simplified Chinese by default, English kept.
///
/// Chosen in one place (`LanguageChoice.resolve`): `--lang zh|en` on any command, else the locale
/// environment (LC_ALL, LC_MESSAGES, LANG, the first one set) when it names zh or en, else the
/// deployment setting `language` (read when the database is first connected), else zh.
/// Command and flag names, JSON keys, `--format csv` columns and exit codes never change with it.
public enum Language: String, Sendable, CaseIterable {
    case zh
    case en

    /// `zh_CN.UTF-8`, `zh-Hans`, `en_US`, `en` …; nil for `C`, `POSIX` and other languages.
    public init?(locale: String) {
        let lowered = locale.lowercased()
        let base = lowered.prefix { $0.isLetter }
        switch base {
        case "zh": self = .zh
        case "en": self = .en
        default: return nil
        }
    }
}

/// Where the language of this process came from, and the language itself.
public enum LanguageChoice {
    public enum Source: String, Sendable {
        case option, environment, setting, fallback
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var chosen: Language?
    nonisolated(unsafe) private static var chosenSource: Source = .fallback

    /// The language messages are rendered in. Before anything chose one: the locale environment,
    /// else zh.
    public static var current: Language {
        lock.lock(); defer { lock.unlock() }
        if let chosen { return chosen }
        return fromEnvironment(ProcessInfo.processInfo.environment) ?? .zh
    }

    public static var source: Source {
        lock.lock(); defer { lock.unlock() }
        return chosenSource
    }

    public static func set(_ language: Language, source: Source) {
        lock.lock(); defer { lock.unlock() }
        chosen = language
        chosenSource = source
    }

    /// The first of LC_ALL, LC_MESSAGES, LANG that is set, when it names zh or en.
    public static func fromEnvironment(_ environment: [String: String]) -> Language? {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty {
                return Language(locale: value)
            }
        }
        return nil
    }

    public struct Resolved: Sendable, Equatable {
        /// The arguments without `--lang X` / `--lang=X`, for the argument parser.
        public var arguments: [String]
        public var language: Language
        public var source: Source

        public init(arguments: [String], language: Language, source: Source) {
            self.arguments = arguments
            self.language = language
            self.source = source
        }
    }

    public struct InvalidLanguage: Error, Sendable, Equatable {
        public var value: String

        public init(value: String) { self.value = value }
    }

    /// The one place that decides: `--lang` (anywhere before a `--`), else the environment, else
    /// `fallback` (zh until the deployment setting is read).
    public static func resolve(arguments: [String], environment: [String: String], fallback: Language = .zh) throws -> Resolved {
        var remaining: [String] = []
        var option: String?
        var index = arguments.startIndex
        var afterTerminator = false
        while index < arguments.endIndex {
            let argument = arguments[index]
            if afterTerminator {
                remaining.append(argument)
            } else if argument == "--" {
                afterTerminator = true
                remaining.append(argument)
            } else if argument == "--lang" {
                guard index + 1 < arguments.endIndex else { throw InvalidLanguage(value: "") }
                option = arguments[index + 1]
                index += 1
            } else if argument.hasPrefix("--lang=") {
                option = String(argument.dropFirst("--lang=".count))
            } else {
                remaining.append(argument)
            }
            index += 1
        }
        if let option {
            guard let language = Language(rawValue: option.lowercased()) else { throw InvalidLanguage(value: option) }
            return Resolved(arguments: remaining, language: language, source: .option)
        }
        if let language = fromEnvironment(environment) {
            return Resolved(arguments: remaining, language: language, source: .environment)
        }
        return Resolved(arguments: remaining, language: fallback, source: .fallback)
    }

    /// When neither the option nor the environment chose: the deployment setting `language`.
    /// Called once a database connection is open; a missing or unknown value keeps zh.
    public static func applySetting(on db: isolated Connection) {
        guard source == .fallback else { return }
        guard let row = try? db.query("SELECT value FROM setting WHERE name = 'language'").first,
              let value = try? row.decode(0, as: String.self),
              let language = Language(rawValue: value.trimmingCharacters(in: .whitespaces).lowercased())
        else { return }
        set(language, source: .setting)
    }
}

extension Connection {
    /// `LanguageChoice.applySetting` on this connection.
    public func applyLanguageSetting() {
        LanguageChoice.applySetting(on: self)
    }
}
