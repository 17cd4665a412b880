import Foundation

/// A request to the payment provider that failed, in terms a caller can act on.
///
/// `kind` says what to do (fix the request, fix the key, retry later); `isRetryable` says
/// whether the same request, with the same idempotency key, may succeed later. The provider's
/// own `type`, `code`, `param` and `message` are kept for the log and the tenant. No text in
/// it ever holds the secret key: messages are scrubbed of anything shaped like one.
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A class of failure; an open set, so a struct over a private enum.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidRequest = "invalid request"
            case authentication = "authentication failed"
            case rateLimited = "rate limited"
            case conflict = "conflict"
            case idempotencyMismatch = "idempotency key reused with other parameters"
            case providerUnavailable = "provider unavailable"
            case unexpectedResponse = "unexpected response"
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// 400, 402, 404…: the request is wrong (a bad or missing parameter, an amount below
        /// the minimum); `param` names the field when the provider says.
        public static let invalidRequest = Kind(.invalidRequest)
        /// 401 or 403: the key is wrong, revoked or lacks permission.
        public static let authentication = Kind(.authentication)
        /// 429: too many requests; back off and retry.
        public static let rateLimited = Kind(.rateLimited)
        /// 409: a concurrent request with the same idempotency key is still running; retry.
        public static let conflict = Kind(.conflict)
        /// `idempotency_error`: the key was used before with other parameters. A bug in how
        /// keys are made; retrying the same request cannot help.
        public static let idempotencyMismatch = Kind(.idempotencyMismatch)
        /// 5xx, or no response at all (refused, timed out, connection lost, DNS, TLS).
        public static let providerUnavailable = Kind(.providerUnavailable)
        /// A response that is not what the API documents (undecodable JSON, a missing field).
        public static let unexpectedResponse = Kind(.unexpectedResponse)

        /// `invalid request`, `rate limited`, …
        public var description: String { value.rawValue }
    }

    /// The class of failure.
    public let kind: Kind
    /// The HTTP status, nil when no response arrived.
    public let status: Int?
    /// The provider's error type (`invalid_request_error`, `api_error`, `idempotency_error`, …).
    public let type: String?
    /// The provider's error code (`amount_too_small`, `parameter_missing`, …).
    public let code: String?
    /// The request parameter at fault (`line_items[0][price_data][unit_amount]`).
    public let param: String?
    /// A human-readable message, scrubbed of secrets.
    public let message: String
    /// The provider's `Request-Id`, for its support.
    public let requestID: String?
    /// Whether retrying the same request (same idempotency key) may succeed.
    public let isRetryable: Bool

    /// Makes an error; `message` is scrubbed of anything shaped like a secret key.
    public init(kind: Kind, status: Int? = nil, type: String? = nil, code: String? = nil, param: String? = nil,
                message: String, requestID: String? = nil, isRetryable: Bool = false) {
        self.kind = kind
        self.status = status
        self.type = type
        self.code = code
        self.param = param
        self.message = SecretScrubber.scrub(message)
        self.requestID = requestID
        self.isRetryable = isRetryable
    }

    /// `Stripe invalid request (400 invalid_request_error amount_too_small, param …): message [req_…]`.
    public var description: String {
        var detail = [status.map(String.init), type, code].compactMap { $0 }.joined(separator: " ")
        if let param { detail += (detail.isEmpty ? "" : ", ") + "param \(param)" }
        let context = detail.isEmpty ? "" : " (\(detail))"
        let request = requestID.map { " [\($0)]" } ?? ""
        return SecretScrubber.scrub("Stripe \(kind)\(context): \(message)\(request)")
    }
}

/// Replaces anything shaped like a Stripe secret or restricted key (`sk_live_…`, `rk_test_…`)
/// or webhook secret (`whsec_…`) with its prefix, so a provider message or a URL that echoes a
/// key cannot carry it into a log.
enum SecretScrubber {
    static func scrub(_ text: String) -> String {
        let prefixes = ["sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"]
        guard prefixes.contains(where: text.contains) else { return text }
        var result = ""
        var rest = Substring(text)
        while let (range, prefix) = prefixes.compactMap({ prefix in rest.range(of: prefix).map { ($0, prefix) } })
            .min(by: { $0.0.lowerBound < $1.0.lowerBound }) {
            result += rest[..<range.lowerBound] + prefix + "…"
            rest = rest[range.upperBound...].drop { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            if rest.first == "…" { rest = rest.dropFirst() }  // already scrubbed
        }
        return result + rest
    }
}
