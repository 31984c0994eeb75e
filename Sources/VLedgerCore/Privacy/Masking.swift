/// Personal data shown to people: never in full unless a role allowed to see it asks.
public enum Masking {
    /// `210682199001011234` → `210682********1234`: the region stays readable, birth date hidden.
    public static func idNumber(_ value: String) -> String {
        let characters = Array(value)
        guard characters.count > 10 else { return String(repeating: "*", count: characters.count) }
        let hidden = characters.count - 10
        return String(characters.prefix(6)) + String(repeating: "*", count: hidden) + String(characters.suffix(4))
    }

    /// `13812345678` → `138****5678`.
    public static func phone(_ value: String) -> String {
        let characters = Array(value)
        guard characters.count > 7 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(3)) + String(repeating: "*", count: characters.count - 7) + String(characters.suffix(4))
    }

    /// `张小明` → `张**`: the first character, one `*` for each other (as `vl_mask_name`, 0080).
    public static func name(_ value: String) -> String {
        guard let first = value.first else { return value }
        return String(first) + String(repeating: "*", count: value.count - 1)
    }
}
