/// The timeout rules of one connection as a pure state machine, after Hummingbird's
/// `HTTPConnectionStateHandler.StateMachine`: the event loop reports what happened with the
/// current time, and each method answers with an action; no clock is read and no I/O done.
///
/// Rules:
/// - Read deadlines are totals, not per read, so a peer dripping one byte at a time
///   (slowloris) is cut off: a head must arrive within `head` of its first byte, a body
///   within `body` of the end of its head (or of the `100 Continue` sent for it).
/// - A new connection must start its first request within `head`; between requests on a
///   kept-alive connection the allowance is `idle`.
/// - Read deadlines run only while the server waits on the client: with a request in flight
///   (handler running or response unwritten) none applies, and each restarts when the last
///   response has been written.
/// - When a head or body deadline passes and at least one byte of the current request has
///   arrived, the client is told why: `408 Request Timeout` with `Connection: close`
///   (RFC 9110 §15.5.9), then the connection closes as after any closing response. With no
///   byte of a request (a silent new connection, an idle kept-alive one) it closes silently:
///   a 408 there would race a request the client may be sending on the reused connection.
/// - A response must make write progress over windows of `write`: in each window at least
///   `writeMinimumBytes` (or all that was pending, if less) must be written. The window does
///   not restart on every byte, so a peer reading one byte at a time cannot hold the
///   connection and its unsent output forever.
/// - While the server is near its connection cap, a connection waiting for a request (idle
///   kept-alive, or new and silent) gets at most `nearCapacityIdle`, so idle connections
///   make room for new clients.
/// - After a closing response the connection half-closes and waits at most `linger` for the
///   peer's FIN before closing, so unread input cannot turn into a RST that destroys the
///   response (RFC 9112 §9.6).
struct ConnectionTimeouts<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The allowances, taken from the server configuration.
    struct Limits: Sendable, Equatable {
        var head: Duration
        var body: Duration
        var idle: Duration
        var write: Duration
        var linger: Duration
        /// Bytes a response must make progress by in each `write` window.
        var writeMinimumBytes = 1
        /// The idle (and silent-new) allowance while the server is near its connection cap.
        var nearCapacityIdle: Duration = .seconds(2)
    }

    /// One window of the write-progress rule: since when, how much must be written in it
    /// and how much was.
    struct WriteWindow: Sendable, Equatable {
        var since: Instant
        var required: Int
        var written = 0
    }

    /// Which rule closed the connection, for the log.
    enum Kind: Sendable, Equatable {
        case head, body, idle, write, linger
    }

    /// What the event loop must do.
    enum Action: Sendable, Equatable {
        /// No deadline applies right now.
        case none
        /// Make sure a timer fires at this instant (an earlier timer may stay; it will
        /// answer with a later `.schedule` when it fires).
        case schedule(Instant)
        /// Close the connection now, without a word.
        case close(Kind)
        /// Answer `408 Request Timeout` with `Connection: close`, then close once it is
        /// written (lingering). The machine counts the 408 as a response in flight, so the
        /// caller reports it through `responseWritten` like any other.
        case requestTimeout(Kind)
    }

    /// What to do with the connection when the server starts draining.
    enum QuiesceAction: Sendable, Equatable {
        /// Nothing is in progress: close it now.
        case close
        /// Finish what is in progress, answer with `Connection: close`, then close.
        case closeAfterResponse
    }

    /// The read side: what the server is waiting for and since when.
    enum Inbound: Sendable, Equatable {
        case waiting(since: Instant)
        case head(since: Instant)
        case body(since: Instant)
    }

    let limits: Limits
    private(set) var inbound: Inbound
    private(set) var inFlight = 0
    private(set) var servedAny = false
    private(set) var writeWindow: WriteWindow?
    /// Unsent bytes after the last write attempt, to size the next window's requirement.
    private(set) var pendingBytes = 0
    private(set) var nearCapacity = false
    private(set) var lingerSince: Instant?
    private(set) var draining = false

    /// Starts the machine for a connection accepted at `now`.
    init(limits: Limits, now: Instant) {
        self.limits = limits
        self.inbound = .waiting(since: now)
    }

    /// The first action for a new connection.
    func start() -> Action { action }

    /// The parser's phase after new bytes were parsed.
    mutating func readPhaseChanged(to phase: HTTPRequestParser.Phase, now: Instant) -> Action {
        switch (inbound, phase) {
        case (.waiting, .head), (.waiting, .body):
            inbound = phase == .head ? .head(since: now) : .body(since: now)
        case (.head, .body):
            inbound = .body(since: now)
        case (.head, .idle), (.body, .idle):
            inbound = .waiting(since: now)
        default:
            break
        }
        return action
    }

    /// A complete request was parsed and handed on.
    mutating func requestReceived(now: Instant) -> Action {
        inFlight += 1
        servedAny = true
        return action
    }

    /// A `100 Continue` was written: the client starts sending its body now.
    mutating func continueSent(now: Instant) -> Action {
        if case .body = inbound { inbound = .body(since: now) }
        return action
    }

    /// A write attempt finished having written `writtenBytes`, leaving `pendingBytes` unsent.
    /// The first attempt that leaves output pending opens a progress window.
    mutating func wrote(pendingBytes: Int, writtenBytes: Int, now: Instant) -> Action {
        self.pendingBytes = pendingBytes
        if pendingBytes == 0 {
            writeWindow = nil
        } else if writeWindow == nil {
            writeWindow = WriteWindow(since: now, required: min(limits.writeMinimumBytes, pendingBytes))
        } else {
            writeWindow!.written += writtenBytes
        }
        return action
    }

    /// The server crossed into (or back out of) its near-capacity band.
    mutating func capacityChanged(nearCapacity: Bool, now: Instant) -> Action {
        self.nearCapacity = nearCapacity
        return action
    }

    /// A response was completely written.
    mutating func responseWritten(now: Instant) -> Action {
        inFlight = max(0, inFlight - 1)
        if inFlight == 0 {
            // The read allowance restarts now that the server waits on the client again.
            switch inbound {
            case .waiting: inbound = .waiting(since: now)
            case .head: inbound = .head(since: now)
            case .body: inbound = .body(since: now)
            }
        }
        return action
    }

    /// The connection half-closed after a closing response and waits for the peer's FIN.
    mutating func lingerStarted(now: Instant) -> Action {
        lingerSince = now
        return action
    }

    /// The server is shutting down gracefully.
    mutating func quiesce() -> QuiesceAction {
        draining = true
        if case .waiting = inbound, inFlight == 0, writeWindow == nil, lingerSince == nil {
            return .close
        }
        return .closeAfterResponse
    }

    /// Whether responses must now carry `Connection: close`.
    var closeAfterResponse: Bool { draining }

    /// A timer fired at `now`: close (or answer 408, see the rules) if the deadline has
    /// passed, otherwise say when to look again.
    mutating func timeoutFired(now: Instant) -> Action {
        guard let (deadline, kind) = deadline else { return .none }
        guard now >= deadline else { return .schedule(deadline) }
        switch (kind, inbound) {
        case (.write, _):
            guard let window = writeWindow, window.written > 0, window.written >= window.required else {
                return .close(.write)
            }
            // Enough progress: the next window starts now and must keep up the pace.
            writeWindow = WriteWindow(since: now, required: min(limits.writeMinimumBytes, max(1, pendingBytes)))
            return action
        case (.head, .head), (.body, .body):
            // The 408 is the one response still owed; no read deadline runs while it is.
            inbound = .waiting(since: now)
            inFlight += 1
            return .requestTimeout(kind)
        default:
            return .close(kind)
        }
    }

    /// The earliest deadline in force and the rule it comes from.
    var deadline: (Instant, Kind)? {
        if let lingerSince { return (lingerSince.advanced(by: limits.linger), .linger) }
        var best: (Instant, Kind)?
        if let writeWindow { best = (writeWindow.since.advanced(by: limits.write), .write) }
        if inFlight == 0 {
            let read: (Instant, Kind)
            switch inbound {
            case .waiting(let since):
                var allowance = servedAny ? limits.idle : limits.head
                if nearCapacity { allowance = min(allowance, limits.nearCapacityIdle) }
                read = (since.advanced(by: allowance), servedAny ? .idle : .head)
            case .head(let since):
                read = (since.advanced(by: limits.head), .head)
            case .body(let since):
                read = (since.advanced(by: limits.body), .body)
            }
            if best == nil || read.0 < best!.0 { best = read }
        }
        return best
    }

    private var action: Action {
        deadline.map { .schedule($0.0) } ?? .none
    }
}
