import BillportCore
import Foundation

/// An answer stored under an `Idempotency-Key`, given again to a retry of the same request.
public struct StoredAnswer: Sendable, Equatable {
    public let status: Int
    public let headers: [[String]]
    public let body: [UInt8]

    public init(status: Int, headers: [[String]], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// What the store says when a request arrives with a key.
public enum IdempotencyClaim: Sendable, Equatable {
    /// The key is new (or its last use expired): this request runs and its answer is stored.
    case started
    /// The same request ran before: its answer.
    case replay(StoredAnswer)
    /// The same key is running now.
    case inFlight
    /// The key was used with another request (another body, another object).
    case reused
}

/// The rules of `Idempotency-Key` (Stripe's): answers are kept `retention`; a key whose first
/// request has not answered within `abandonAfter` (a crash) may be used again.
public enum IdempotencyRule {
    public static let retention: Duration = .seconds(24 * 3600)
    public static let abandonAfter: Duration = .seconds(300)
    public static let maximumKeyLength = 255
    /// Expired keys deleted per new key: more than are made, so storage follows 24 hours of keys.
    public static let pruneBatch = 100

    /// The key as sent, if acceptable: 1–255 printable ASCII characters.
    public static func validKey(_ raw: String) -> String? {
        guard (1...maximumKeyLength).contains(raw.utf8.count), raw.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        return raw
    }
}
