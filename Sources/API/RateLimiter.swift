import BillportCore
import Foundation
import Synchronization

/// Token buckets per key (a client address, a link token): `perMinute` requests a minute on
/// average, bursts up to the same number. In memory, per process; 0 turns it off.
///
/// The table is bounded: keys are fixed-size (`RateLimitKey`) and at most `maxEntries` are kept.
/// When a new key finds it full, buckets that have refilled are dropped (they would start full
/// anyway), then the fullest until a quarter is free, so a flood of new keys costs an
/// occasional sweep rather than one per request.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }
    private let perMinute: Int
    private let clock: any WallClock
    private let buckets = Mutex<[RateLimitKey: Bucket]>([:])
    /// Most keys the table holds.
    public let maxEntries: Int

    /// Bytes of one entry's key and bucket.
    public static let bytesPerEntry = MemoryLayout<RateLimitKey>.stride + MemoryLayout<Bucket>.stride

    public init(perMinute: Int, maxEntries: Int = 100_000, clock: any WallClock = SystemClock()) {
        self.perMinute = perMinute
        self.maxEntries = max(1, maxEntries)
        self.clock = clock
    }

    /// Keys with a bucket now.
    public var entryCount: Int { buckets.withLock { $0.count } }

    /// What the entries take: `entryCount` × `bytesPerEntry`, never more than `maxEntries` × it.
    public var tableBytes: Int { entryCount * Self.bytesPerEntry }

    /// Takes one request for `key`: nil when allowed, else how long until the next is.
    public func take(_ key: String) -> Duration? { take(RateLimitKey(key)) }

    /// Takes one request for `key`: nil when allowed, else how long until the next is.
    public func take(_ key: RateLimitKey) -> Duration? {
        guard perMinute > 0 else { return nil }
        let now = clock.now()
        let capacity = Double(perMinute)
        let rate = capacity / 60
        return buckets.withLock { buckets in
            if buckets[key] == nil, buckets.count >= maxEntries {
                Self.evict(&buckets, now: now, rate: rate, capacity: capacity, keep: maxEntries - max(1, maxEntries / 4))
            }
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = Self.level(bucket, now: now, rate: rate, capacity: capacity)
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

    private static func level(_ bucket: Bucket, now: Date, rate: Double, capacity: Double) -> Double {
        min(capacity, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
    }

    /// Drops refilled buckets, then the fullest (the least-used, longest-idle) down to `keep`.
    /// Rebuilt rather than removed from, so the dictionary's storage shrinks too.
    private static func evict(_ buckets: inout [RateLimitKey: Bucket], now: Date, rate: Double, capacity: Double, keep: Int) {
        let draining = buckets.filter { level($0.value, now: now, rate: rate, capacity: capacity) < capacity }
        guard draining.count > keep else {
            buckets = draining
            return
        }
        let emptiest = draining.map { (entry: $0, level: level($0.value, now: now, rate: rate, capacity: capacity)) }.sorted { $0.level < $1.level }
        buckets = Dictionary(uniqueKeysWithValues: emptiest.prefix(keep).map { ($0.entry.key, $0.entry.value) })
    }
}
