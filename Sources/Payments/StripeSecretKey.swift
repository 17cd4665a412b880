/// A Stripe secret (`sk_…`) or restricted (`rk_…`) API key.
///
/// Printing, interpolating, dumping or reflecting it shows only its prefix (`sk_test_…`), so
/// the key cannot reach a log line or an error message by accident; `raw` is read only to
/// build the `Authorization` header.
public struct StripeSecretKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// The key itself. Read it only to authenticate.
    public let raw: String

    /// Wraps a key as configured.
    public init(_ raw: String) {
        self.raw = raw
    }

    /// Whether it has the shape of a secret or restricted key and no whitespace (a key
    /// pasted with a trailing newline fails here, at start, not at the first payment).
    public var isWellFormed: Bool {
        let prefixes = ["sk_test_", "sk_live_", "rk_test_", "rk_live_"]
        guard let prefix = prefixes.first(where: raw.hasPrefix) else { return false }
        let rest = raw.dropFirst(prefix.count)
        return !rest.isEmpty && rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Whether it is a test-mode key.
    public var isTestMode: Bool { raw.hasPrefix("sk_test_") || raw.hasPrefix("rk_test_") }

    /// `sk_test_…`: the mode, never a character of the secret part.
    public var redacted: String {
        let prefix = ["sk_test_", "sk_live_", "rk_test_", "rk_live_"].first(where: raw.hasPrefix) ?? ""
        return prefix + "…"
    }

    /// The redacted form.
    public var description: String { redacted }
    /// `StripeSecretKey(sk_test_…)`.
    public var debugDescription: String { "StripeSecretKey(\(redacted))" }
    /// Only the redacted form, so `dump` and debuggers cannot show the key.
    public var customMirror: Mirror { Mirror(self, children: ["redacted": redacted]) }
}
