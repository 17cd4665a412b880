import BillportCore
import Foundation
import Tokens

/// Stripe's webhook signature scheme, pure (no I/O, no clock of its own).
///
/// The `Stripe-Signature` header is `t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`. Each
/// `v1` is HMAC-SHA256 under an endpoint secret (`whsec_…`, used as-is as the key) of
/// `"<t>." + raw body`. Several `v1` appear while a secret is rolled; other schemes (`v0` is a
/// test-mode one) are ignored. The timestamp is signed too, so a captured delivery can be
/// replayed only within the tolerance. See docs.stripe.com/webhooks#verify-manually.
public enum WebhookSignature {
    /// Stripe's libraries' default: five minutes either way.
    public static let defaultTolerance: Duration = .seconds(300)

    /// Checks `header` against the raw `payload` (the exact bytes received, before any JSON
    /// parsing) and returns the signed timestamp.
    ///
    /// Any of `secrets` (the current one and those being rolled out) may match any `v1`.
    /// Signatures are checked before the timestamp, so a forgery is reported as a mismatch
    /// whatever its `t`. A timestamp more than `tolerance` before *or after* `now` fails.
    public static func verify(header: String?, payload: [UInt8], secrets: [String], now: Date,
                              tolerance: Duration = defaultTolerance) throws(WebhookSignatureError) -> Date {
        guard let header, !header.isEmpty else { throw .missingHeader }
        guard !secrets.isEmpty, !secrets.contains(where: \.isEmpty) else { throw .noSecretConfigured }
        let parsed = try Header(parsing: header)
        guard !parsed.v1.isEmpty else { throw .noV1Signature }
        let candidates = parsed.v1.map { Array($0.utf8) }
        var matched = false
        for secret in secrets {
            let expected = Array(signature(payload: payload, secret: secret, timestamp: parsed.timestamp).utf8)
            // No early exit: the work done does not depend on which secret or signature matched.
            for candidate in candidates where Digest.constantTimeEqual(expected, candidate) {
                matched = true
            }
        }
        guard matched else { throw .signatureMismatch }
        let signedAt = Date(timeIntervalSince1970: TimeInterval(parsed.timestamp))
        let skew = now.timeIntervalSince(signedAt)
        let allowed = tolerance.timeInterval
        if skew > allowed { throw .timestampTooOld(seconds: Int64(skew)) }
        if -skew > allowed { throw .timestampInFuture(seconds: Int64(-skew)) }
        return signedAt
    }

    /// A header as Stripe would send it for `payload`: `t=<timestamp>,v1=<hex>`. For tests,
    /// the benchmark and the fake provider.
    public static func sign(payload: [UInt8], secret: String, timestamp: Date) -> String {
        let seconds = Int64(timestamp.timeIntervalSince1970.rounded(.down))
        return "t=\(seconds),v1=\(signature(payload: payload, secret: secret, timestamp: seconds))"
    }

    /// The lowercase hex HMAC-SHA256 of `"<timestamp>." + payload` under `secret`.
    static func signature(payload: [UInt8], secret: String, timestamp: Int64) -> String {
        Digest.hmacSHA256(key: Array(secret.utf8), message: Array("\(timestamp).".utf8) + payload).hex
    }

    /// The parts of a `Stripe-Signature` header that matter.
    struct Header: Equatable {
        /// `t`, in Unix seconds.
        var timestamp: Int64
        /// Every `v1` value, in order.
        var v1: [String]

        /// Parses `t=…,v1=…`; unknown keys are skipped, `t` must appear once as digits.
        init(parsing header: String) throws(WebhookSignatureError) {
            guard header.utf8.count <= 8192 else { throw .malformed("the header is longer than 8 KiB") }
            var timestamp: Int64?
            var v1: [String] = []
            for item in header.split(separator: ",", omittingEmptySubsequences: false) {
                let item = item.trimmingCharacters(in: .whitespaces)
                guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                    throw .malformed("'\(item.prefix(20))' is not key=value")
                }
                let key = item[..<equals]
                let value = String(item[item.index(after: equals)...])
                switch key {
                case "t":
                    guard timestamp == nil else { throw .malformed("t appears twice") }
                    guard !value.isEmpty, value.count <= 12, value.allSatisfy(\.isASCIIDigit), let seconds = Int64(value) else {
                        throw .malformed("t is not a Unix timestamp")
                    }
                    timestamp = seconds
                case "v1":
                    v1.append(value)
                default:
                    continue
                }
            }
            guard let timestamp else { throw .malformed("no t= timestamp") }
            self.timestamp = timestamp
            self.v1 = v1
        }
    }
}

extension Character {
    /// 0-9 only (not other scripts' digits, which `isNumber` accepts).
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

/// Why a webhook delivery was refused. Answer every one with 400 and do nothing else.
public enum WebhookSignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `Stripe-Signature` header.
    case missingHeader
    /// The header could not be parsed; why.
    case malformed(String)
    /// The header has no `v1` signature (only other schemes).
    case noV1Signature
    /// No `v1` matches the payload under any configured secret.
    case signatureMismatch
    /// The signature is valid but older than the tolerance (a replay, or a very late retry).
    case timestampTooOld(seconds: Int64)
    /// The signature is valid but dated after now by more than the tolerance.
    case timestampInFuture(seconds: Int64)
    /// No webhook secret is configured: nothing can verify.
    case noSecretConfigured

    /// One line for the log (never the secret, never the payload).
    public var description: String {
        switch self {
        case .missingHeader: "missing Stripe-Signature header"
        case .malformed(let why): "malformed Stripe-Signature header: \(why)"
        case .noV1Signature: "Stripe-Signature has no v1 signature"
        case .signatureMismatch: "no signature matches the payload"
        case .timestampTooOld(let seconds): "signature timestamp is \(seconds) s old, beyond the tolerance"
        case .timestampInFuture(let seconds): "signature timestamp is \(seconds) s in the future, beyond the tolerance"
        case .noSecretConfigured: "no webhook secret is configured"
        }
    }
}
