import BillportCore
import Foundation
import Billing
import Synchronization

/// A cached answer for a link, which stops at the link's expiry.
protocol LinkAnswer: Sendable {
    var linkExpiresAt: Date? { get }
}

/// What public routes looked up and rendered for a token, kept in memory while nothing has
/// changed: an entry is used only while this process has committed no write since it was made
/// (`BillingDatabase.commitCount`) and for at most `maxAge`, which bounds how long a change written by
/// another process on the same file (a split `billport worker`) can go unseen. A revoked link
/// therefore stops at once, and a payment applied elsewhere shows within `maxAge`.
///
/// Unknown tokens are never cached, so guessing costs the guesser a database read each time
/// (and the rate limits bound that).
final class PublicAnswerCache<Value: LinkAnswer>: Sendable {
    private struct Entry {
        let value: Value
        let commit: UInt64
        let storedAt: ContinuousClock.Instant
    }
    private let entries = Mutex<[String: Entry]>([:])
    private let database: any BillingDatabase
    private let maxAge: Duration
    private let capacity: Int

    private let clock: any WallClock

    init(database: any BillingDatabase, clock: any WallClock, maxAge: Duration = .seconds(1), capacity: Int = 10_000) {
        self.database = database
        self.clock = clock
        self.maxAge = maxAge
        self.capacity = capacity
    }

    /// The cached value for `key`, or what `make` returns now (cached unless nil); nil once the
    /// link's own expiry has passed, cached or not.
    func value(_ key: String, make: () async throws -> Value?) async throws -> Value? {
        let commit = database.commitCount
        let now = ContinuousClock.now
        if let hit = entries.withLock({ $0[key] }), hit.commit == commit, now - hit.storedAt < maxAge {
            return hit.value.linkExpiresAt.map { $0 > clock.now() } ?? true ? hit.value : nil
        }
        guard let value = try await make() else { return nil }
        let entry = Entry(value: value, commit: commit, storedAt: now)
        entries.withLock { entries in
            // Crude but bounded: a full cache starts over rather than tracking recency.
            if entries.count >= capacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
        return value
    }
}
