import BillportCore
import Foundation
import Synchronization

/// A clock that moves only when a test says so.
public final class ManualClock: WallClock {
    private let current: Mutex<Date>

    /// A clock reading `start` (default 2026-11-22T10:00:00Z).
    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_341_600)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) {
        current.withLock { $0 = $0.addingTimeInterval(duration.timeInterval) }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
