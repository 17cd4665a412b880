import Foundation

/// How many portal messages one customer may leave: a bound on what a public form can make the
/// database keep, beside the per-token request rate.
public struct MessageQuota: Sendable, Equatable {
    /// Messages per customer in any 24 hours.
    public var perDay: Int

    /// 20 a day by default.
    public init(perDay: Int = 20) {
        self.perDay = max(1, perDay)
    }

    /// The window the quota counts in.
    public static let window: Duration = .seconds(86_400)
}

/// The customer left `limit` messages in the last 24 hours; another is taken after `retryAfter`.
public struct MessageQuotaExceeded: Error, Sendable, Equatable, CustomStringConvertible {
    public let limit: Int
    public let retryAfter: Duration

    public init(limit: Int, retryAfter: Duration) {
        self.limit = limit
        self.retryAfter = retryAfter
    }

    public var description: String {
        "You have sent \(limit) messages in the last 24 hours, the most this portal takes. Please try again later."
    }
}
