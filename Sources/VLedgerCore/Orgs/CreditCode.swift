/// GB 32100-2015 unified social credit codes: the check character of the first 17 (the database
/// checks every code itself, vl_credit_code_valid in 0151; this makes valid ones for the sample).
public enum CreditCode {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    /// The 18-character code for 17 characters of the standard's alphabet.
    public static func complete(_ first17: String) -> String {
        var total = 0
        var weight = 1
        for character in first17 {
            total += (alphabet.firstIndex(of: character) ?? 0) * weight
            weight = weight * 3 % 31
        }
        return first17 + String(alphabet[(31 - total % 31) % 31])
    }
}
