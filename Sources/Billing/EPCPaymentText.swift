/// The text of an EPC QR code ("GiroCode", EPC069-12 version 002): what a banking app reads to
/// fill in a SEPA credit transfer to the tenant. Eleven lines joined by LF, no trailing newline:
///
///     BCD · 002 · 1 (UTF-8) · SCT · BIC (may be empty) · name · IBAN · EUR<amount> ·
///     purpose (empty) · structured reference (empty) · remittance text (the invoice number)
///
/// Trailing empty lines are left out (the guideline allows it), so without a remittance the text
/// ends with the amount. The whole text is at most 331 bytes, what version 13 holds at level M.
public struct EPCPaymentText: Sendable, Equatable {
    /// The payload, to be encoded as its UTF-8 bytes at level M; the guideline allows versions up to
    /// 13, which always hold it (`QREncoder.encode(bytes, correction: .medium, maximumVersion: 13)`).
    public let text: String

    public static let maximumByteCount = 331
    public static let maximumNameLength = 70
    public static let maximumRemittanceLength = 140
    /// 999 999 999.99 EUR, the largest amount the guideline allows.
    public static let maximumAmountMinorUnits: Int64 = 99_999_999_999

    public var bytes: [UInt8] { Array(text.utf8) }

    /// The payment text, or nil when no valid code can be made: an amount outside 0.01…999 999 999.99,
    /// a name empty after clean-up, or an IBAN that is not one (its check digits included).
    /// The name is cut at 70 characters and the remittance at 140, on character boundaries; when
    /// the whole would still exceed 331 bytes (long multi-byte text), the remittance is cut further,
    /// and the name only when it alone is too long.
    /// A BIC that is not 8 or 11 letters and digits is left out (version 002 makes it optional).
    public init?(beneficiaryName: String, iban: String, bic: String?, amountMinorUnits: Int64, remittance: String) {
        guard amountMinorUnits >= 1, amountMinorUnits <= Self.maximumAmountMinorUnits,
              let iban = Self.normalisedIBAN(iban) else { return nil }
        let bic = bic.flatMap(Self.normalisedBIC) ?? ""
        let amount = "EUR\(amountMinorUnits / 100).\(amountMinorUnits % 100 < 10 ? "0" : "")\(amountMinorUnits % 100)"
        let fixed = ["BCD", "002", "1", "SCT", bic, iban, amount, "", ""]
        // Nine fixed lines plus name and remittance make eleven lines and ten separators.
        let budget = Self.maximumByteCount - fixed.reduce(0) { $0 + $1.utf8.count } - 10
        let name = Self.prefix(Self.singleLine(beneficiaryName), characters: Self.maximumNameLength, bytes: budget)
        guard !name.isEmpty else { return nil }
        let remittance = Self.prefix(Self.singleLine(remittance), characters: Self.maximumRemittanceLength, bytes: budget - name.utf8.count)
        var lines = ["BCD", "002", "1", "SCT", bic, name, iban, amount, "", "", remittance]
        while lines.last?.isEmpty == true { lines.removeLast() }
        text = lines.joined(separator: "\n")
    }

    /// `value` on one line: control characters and line or paragraph separators become spaces (a
    /// newline would shift every later field), runs of spaces become one, the ends are trimmed.
    /// Only the first 1 000 scalars are looked at, so a hostile string costs nothing.
    static func singleLine(_ value: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in value.unicodeScalars.prefix(1_000) {
            let isSpace = scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
            if isSpace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// The longest prefix of `value` of at most `characters` characters and `bytes` UTF-8 bytes.
    static func prefix(_ value: String, characters: Int, bytes: Int) -> String {
        var end = value.startIndex
        var byteCount = 0
        for character in value.prefix(characters) {
            byteCount += character.utf8.count
            guard byteCount <= bytes else { break }
            end = value.index(after: end)
        }
        return String(value[..<end])
    }

    /// The IBAN without spaces, in upper case, when `IBAN` accepts it (check digits included).
    static func normalisedIBAN(_ value: String) -> String? { (try? IBAN(value, field: "iban"))?.value }

    /// The BIC in upper case when `BIC` accepts it (ISO 9362); nil otherwise.
    static func normalisedBIC(_ value: String) -> String? { (try? BIC(value.filter { !$0.isWhitespace }, field: "bic"))?.value }
}
