import Foundation

/// When a failed attempt runs again: exponential backoff with jitter, capped.
///
/// Attempt n waits `base × 2^(n-1)`, capped at `maximum`, then scaled by a random factor in
/// `[1 - jitter, 1]` so that jobs failing together (an SMTP outage) do not retry together.
public struct RetryPolicy: Sendable, Equatable {
    /// The wait after the first failure.
    public var base: Duration
    /// The longest wait.
    public var maximum: Duration
    /// How much of each wait may be taken off at random, 0…1.
    public var jitter: Double

    /// Defaults: 2 s doubling up to 1 h, 25 % jitter.
    public init(base: Duration = .seconds(2), maximum: Duration = .seconds(3600), jitter: Double = 0.25) {
        self.base = base
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The wait after failed attempt `attempt` (1-based); `unit` is a random number in 0…1.
    public func delay(afterAttempt attempt: Int, unit: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 40)
        let raw = Double(base.milliseconds) * pow(2, Double(exponent))
        let capped = min(raw, Double(maximum.milliseconds))
        let factor = 1 - jitter * min(max(unit, 0), 1)
        return .milliseconds(Int64(capped * factor))
    }
}
