/// How much memory one connection may hold, and the back-pressure rules that keep it there:
/// a client that pipelines requests and never reads the answers must run into a wall, not
/// make the server buffer every response.
struct ConnectionBudget: Sendable, Equatable {
    /// Unsent output above which reading and dispatching pause.
    var outputHighWater: Int
    /// Unsent output at or below which they resume.
    var outputLowWater: Int
    /// Unparsed input plus parsed, not yet dispatched requests at which reading (and
    /// parsing further requests) pauses.
    var maxBufferedInput: Int

    /// Whether the connection's output counts as backed up with `unsent` bytes waiting. The
    /// two marks give hysteresis: once paused, it stays paused until drained to the low mark,
    /// so it does not flip on every write.
    func outputBackedUp(unsent: Int, wasBackedUp: Bool) -> Bool {
        wasBackedUp ? unsent > outputLowWater : unsent > outputHighWater
    }

    /// Whether more input may be read while `buffered` bytes of it are held.
    func mayRead(buffered: Int) -> Bool {
        buffered < maxBufferedInput
    }

    /// Whether another parsed request may join the queue holding `queuedBytes` in `queuedCount`
    /// requests. One is always allowed, so a single large request never deadlocks.
    func mayQueue(queuedBytes: Int, queuedCount: Int) -> Bool {
        queuedCount == 0 || queuedBytes < maxBufferedInput
    }
}

extension HTTPRequest {
    /// About what the request occupies in memory (target, header fields and body), counted
    /// against the connection's input budget while it waits to be dispatched.
    var heldByteCount: Int {
        var count = target.utf8.count + body.count
        for field in headers { count += field.name.utf8.count + field.value.utf8.count + 4 }
        return count
    }
}
