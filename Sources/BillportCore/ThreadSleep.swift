import Glibc

/// Sleeps the calling thread, for threads that are allowed to block (a log writer's own thread,
/// a sender on its own dispatch queue); async code uses `Task.sleep` instead.
public enum ThreadSleep {
    /// Sleeps for `duration` (nothing for zero or less), resuming after signals.
    public static func sleep(for duration: Duration) {
        guard duration > .zero else { return }
        let (seconds, attoseconds) = duration.components
        var time = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var left = timespec()
        while nanosleep(&time, &left) == -1 && errno == EINTR { time = left }
    }
}
