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
///
/// Requests that miss together share one look-up: every write ends every entry (the view
/// journal alone commits five times a second on a busy link), and without sharing, each of the
/// dozens of requests in flight at that moment would read and render the same answer again.
/// A request joins a look-up only if it started under the same commit, so it never gets an
/// answer older than a write it could have seen.
final class PublicAnswerCache<Value: LinkAnswer>: Sendable {
    private struct Entry {
        let value: Value
        let commit: UInt64
        let storedAt: ContinuousClock.Instant
    }
    private struct Pending {
        let commit: UInt64
        let task: Task<Value?, any Error>
    }
    private let entries = Mutex<[String: Entry]>([:])
    private let pending = Mutex<[String: Pending]>([:])
    private let joins = Atomic<Int>(0)
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

    /// How many requests so far took another request's look-up instead of making their own.
    var joinedLookUps: Int { joins.load(ordering: .relaxed) }

    /// The cached value for `key`, or what `make` returns now (cached unless nil); nil once the
    /// link's own expiry has passed, cached or not.
    func value(_ key: String, make: @escaping @Sendable () async throws -> Value?) async throws -> Value? {
        let commit = database.commitCount
        let now = ContinuousClock.now
        if let hit = entries.withLock({ $0[key] }), hit.commit == commit, now - hit.storedAt < maxAge {
            return hit.value.linkExpiresAt.map { $0 > clock.now() } ?? true ? hit.value : nil
        }
        let (task, leads) = pending.withLock { pending -> (Task<Value?, any Error>, Bool) in
            if let running = pending[key], running.commit == commit {
                joins.add(1, ordering: .relaxed)
                return (running.task, false)
            }
            let task = Task { try await make() }
            pending[key] = Pending(commit: commit, task: task)
            return (task, true)
        }
        guard leads else { return try await task.value }
        defer { pending.withLock { if $0[key]?.commit == commit { $0[key] = nil } } }
        guard let value = try await task.value else { return nil }
        entries.withLock { entries in
            // Crude but bounded: a full cache starts over rather than tracking recency.
            if entries.count >= capacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(value: value, commit: commit, storedAt: now)
        }
        return value
    }
}
