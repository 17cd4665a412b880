import BillportCore
import Foundation
import Synchronization

/// Token buckets per key (a client address, a link token): `perMinute` requests a minute on
/// average, bursts up to the same number. In memory, per process; 0 turns it off.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }
    private let perMinute: Int
    private let clock: any WallClock
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(perMinute: Int, clock: any WallClock = SystemClock()) {
        self.perMinute = perMinute
        self.clock = clock
    }

    /// Takes one request for `key`: nil when allowed, else how long until the next is.
    public func take(_ key: String) -> Duration? {
        guard perMinute > 0 else { return nil }
        let now = clock.now()
        let capacity = Double(perMinute)
        let rate = capacity / 60
        return buckets.withLock { buckets in
            if buckets.count > 100_000 { Self.prune(&buckets, now: now, rate: rate, capacity: capacity) }
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return .milliseconds(Int64(((1 - bucket.tokens) / rate * 1000).rounded(.up)))
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return nil
        }
    }

    /// Forgets buckets that have refilled: they would start full anyway.
    private static func prune(_ buckets: inout [String: Bucket], now: Date, rate: Double, capacity: Double) {
        buckets = buckets.filter { $0.value.tokens + now.timeIntervalSince($0.value.updated) * rate < capacity }
    }
}
