import Synchronization

/// A count that only goes up; one atomic add per increment, no lock.
public final class Counter: Sendable {
    private let value = Atomic<UInt64>(0)

    init() {}

    public func increment(by amount: UInt64 = 1) {
        value.add(amount, ordering: .relaxed)
    }

    public var count: UInt64 { value.load(ordering: .relaxed) }

    /// Raises the count to `total`, for a count kept elsewhere (a total read from the OS or
    /// another component); never lowers it.
    public func advance(to total: UInt64) {
        value.max(total, ordering: .relaxed)
    }
}

/// A value that goes up and down (a `Double` kept as its bit pattern in one atomic word).
public final class Gauge: Sendable {
    private let bits = Atomic<UInt64>(0.0.bitPattern)

    init() {}

    public func set(_ value: Double) {
        bits.store(value.bitPattern, ordering: .relaxed)
    }

    public func add(_ amount: Double) {
        var current = bits.load(ordering: .relaxed)
        while true {
            let next = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = bits.compareExchange(expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    public var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }
}

/// Observations counted into fixed upper bounds; each observation is two atomic adds and one
/// compare-and-swap on the sum.
public final class Histogram: Sendable {
    /// Upper bounds, ascending; `+Inf` is implied.
    public let bounds: [Double]
    /// One counter per bound, plus the last for values above every bound (not cumulative).
    private let buckets: [Counter]
    private let sum = Gauge()

    init(bounds: [Double]) {
        self.bounds = bounds
        buckets = (0...bounds.count).map { _ in Counter() }
    }

    public func observe(_ value: Double) {
        var index = bounds.count
        for (position, bound) in bounds.enumerated() where value <= bound {
            index = position
            break
        }
        buckets[index].increment()
        sum.add(value)
    }

    /// Observes a duration in seconds.
    public func observe(_ duration: Duration) {
        observe(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// Cumulative counts per bound, the last being `+Inf`.
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return buckets.map { bucket in
            running += bucket.count
            return running
        }
    }

    public var count: UInt64 { cumulativeCounts.last ?? 0 }
    public var sumValue: Double { sum.value }
}

/// Latency bounds in seconds: 1 ms to 10 s.
public let defaultLatencyBounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
/// Job run-time bounds in seconds: 5 ms to 5 min.
public let defaultRunTimeBounds: [Double] = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300]
