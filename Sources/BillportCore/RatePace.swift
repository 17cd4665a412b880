import Synchronization

/// Spaces events to at most `perSecond` on average with a burst of `burst`, by the generic cell
/// rate algorithm: one "theoretical arrival time" instead of a bucket that needs refilling.
/// `reserve` takes a slot and says how long the caller must wait before using it, so a caller
/// never busy-waits and concurrent callers are served in arrival order.
public struct RatePace: Sendable, Equatable {
    public let perSecond: Int
    public let burst: Int
    /// When the next slot is free if nobody has taken one since (nil: never used).
    private var theoreticalArrival: ContinuousClock.Instant?

    /// `perSecond` ≥ 1 and `burst` ≥ 1 (clamped).
    public init(perSecond: Int, burst: Int) {
        self.perSecond = max(1, perSecond)
        self.burst = max(1, burst)
    }

    private var interval: Duration { .nanoseconds(1_000_000_000 / Int64(perSecond)) }

    /// Takes the next slot at `now`; returns how long to wait before using it (zero when free).
    public mutating func reserve(now: ContinuousClock.Instant) -> Duration {
        let arrival = max(theoreticalArrival ?? now, now)
        let tolerance = interval * (burst - 1)
        let wait = arrival - tolerance > now ? arrival - tolerance - now : .zero
        theoreticalArrival = arrival + interval
        return wait
    }
}

/// A `RatePace` shared by concurrent tasks: each awaits its slot.
public final class SharedRatePace: Sendable {
    private let pace: Mutex<RatePace>
    private let unlimited: Bool

    /// `perSecond` 0 means unlimited.
    public init(perSecond: Int, burst: Int) {
        pace = Mutex(RatePace(perSecond: perSecond, burst: burst))
        unlimited = perSecond <= 0
    }

    /// Waits until the caller's slot (returns at once when unlimited or within the burst).
    public func next() async {
        guard !unlimited else { return }
        let wait = pace.withLock { $0.reserve(now: ContinuousClock.now) }
        if wait > .zero { try? await Task.sleep(for: wait) }
    }
}
