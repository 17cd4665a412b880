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

    /// Takes the next `count` slots at `now` (at least one); returns how long to wait before
    /// using the first (zero when free). The rest follow it at once: a caller taking several
    /// sleeps once for them, and the next caller waits for all of them.
    public mutating func reserve(now: ContinuousClock.Instant, count: Int = 1) -> Duration {
        let arrival = max(theoreticalArrival ?? now, now)
        let tolerance = interval * (burst - 1)
        let wait = arrival - tolerance > now ? arrival - tolerance - now : .zero
        theoreticalArrival = arrival + interval * max(1, count)
        return wait
    }
}

/// A `RatePace` shared by the threads of one process, which sleep for their slots.
public final class SharedRatePace: Sendable {
    private let pace: Mutex<RatePace>
    private let unlimited: Bool
    /// How many slots a caller takes per wait: 10 ms worth, so that a sender at 1,000 a second
    /// sleeps 100 times a second rather than 1,000 (every wake-up costs a context switch).
    public let slotsPerWait: Int

    /// `perSecond` 0 means unlimited.
    public init(perSecond: Int, burst: Int) {
        pace = Mutex(RatePace(perSecond: perSecond, burst: burst))
        unlimited = perSecond <= 0
        slotsPerWait = unlimited ? Int.max : max(1, perSecond / 100)
    }

    /// Takes `count` slots (at most `slotsPerWait` are useful) and sleeps the calling thread
    /// until the first is due; returns at once when unlimited or within the burst. For threads
    /// that may block (a sender on its own queue), never Swift's cooperative pool.
    public func waitBlocking(count: Int) {
        guard !unlimited else { return }
        let wait = pace.withLock { $0.reserve(now: ContinuousClock.now, count: count) }
        ThreadSleep.sleep(for: wait)
    }
}
