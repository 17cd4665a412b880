import Foundation

/// How many portal messages one customer may leave: a bound on what a public form can make the
/// database keep, beside the per-token request rate.
public struct MessageQuota: Sendable, Equatable {
    /// Messages per customer in any 24 hours.
    public var perDay: Int
    /// Unread messages one customer may have waiting in the tenant's inbox; reading frees places.
    public var unread: Int

    /// 20 a day, 200 unread by default.
    public init(perDay: Int = 20, unread: Int = 200) {
        self.perDay = max(1, perDay)
        self.unread = max(1, unread)
    }

    /// The window `perDay` counts in.
    public static let window: Duration = .seconds(86_400)
}

/// A customer reached a quota; another message is taken after `retryAfter` at the earliest.
public struct MessageQuotaExceeded: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which bound was reached.
    public enum Bound: Sendable, Equatable {
        /// `MessageQuota.perDay` messages in the last 24 hours.
        case perDay
        /// `MessageQuota.unread` messages the tenant has not read yet.
        case unread
    }

    public let bound: Bound
    public let limit: Int
    public let retryAfter: Duration

    public init(bound: Bound, limit: Int, retryAfter: Duration) {
        self.bound = bound
        self.limit = limit
        self.retryAfter = retryAfter
    }

    public var description: String {
        switch bound {
        case .perDay:
            return "You have sent \(limit) messages in the last 24 hours, the most this portal takes. Please try again later."
        case .unread:
            return "You have \(limit) messages the vendor has not read yet, the most this portal keeps. Please try again once they have been read."
        }
    }
}
