/// One client connection's state, owned by the event-loop thread and never shared: the
/// parser, the queue of work to answer in order, the output buffer and the timeout machine.
final class Connection {
    /// Something that must be answered, in arrival order (RFC 9112 §9.3.2: pipelined
    /// responses go out in the order the requests came).
    enum Work {
        /// Write `100 Continue` for the request whose head was just read.
        case sendContinue
        /// Run the handler for this request.
        case request(HTTPRequest)
        /// Refuse with this status and close.
        case refuse(status: Int)
    }

    let id: UInt64
    let fd: Int32
    let remoteAddress: String
    /// Accepted over the connection cap: answered 503 and closed, never parsed.
    let isRejected: Bool
    var slot: Int
    var parser: HTTPRequestParser
    var timeouts: ConnectionTimeouts<ContinuousClock.Instant>
    var work: [Work] = []
    /// The request being handled, if a handler is running.
    var responding: ResponseEncoder.Context?
    var handlerTask: Task<Void, Never>?
    var output: [UInt8] = []
    var outputOffset = 0
    /// Complete responses in `output`, reported to the timeout machine once written.
    var responsesInOutput = 0
    /// Whether to half-close once `output` is written.
    var closeAfterOutput = false
    /// No more requests are taken from this connection (error, `Connection: close`).
    var parsingStopped = false
    /// The peer sent FIN.
    var peerClosed = false
    /// Half-closed after a closing response, discarding input until the peer's FIN.
    var lingering = false
    /// The deadline of this connection's live timer entry, if any.
    var scheduledTimer: ContinuousClock.Instant?

    init(id: UInt64, fd: Int32, remoteAddress: String, isRejected: Bool, slot: Int,
         limits: HTTPParserLimits, timeouts: ConnectionTimeouts<ContinuousClock.Instant>) {
        self.id = id
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.isRejected = isRejected
        self.slot = slot
        self.parser = HTTPRequestParser(limits: limits)
        self.timeouts = timeouts
    }

    var hasPendingOutput: Bool { outputOffset < output.count }

    /// Nothing in progress: no handler, no queued work, no unwritten bytes, no partial request.
    var isQuiet: Bool {
        responding == nil && work.isEmpty && !hasPendingOutput && parser.phase == .idle
    }

    /// What to wait for: input unless the connection is closing or has enough queued,
    /// output while bytes remain.
    var interest: PollSet.Interest {
        if lingering { return .read }
        var interest: PollSet.Interest = []
        if !parsingStopped && !peerClosed && !isRejected
            && parser.bufferedByteCount < Self.maxBufferedInput {
            interest.insert(.read)
        }
        if hasPendingOutput { interest.insert(.write) }
        return interest
    }

    /// Unparsed input above which reading pauses (back-pressure on pipelining clients).
    static let maxBufferedInput = 64 * 1024
    /// Queued work items above which parsing pauses.
    static let maxQueuedWork = 16
}
