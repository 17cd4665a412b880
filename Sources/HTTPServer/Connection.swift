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
    let budget: ConnectionBudget
    var parser: HTTPRequestParser
    var timeouts: ConnectionTimeouts<ContinuousClock.Instant>
    private(set) var work: [Work] = []
    /// The `heldByteCount` of the requests in `work`.
    private(set) var queuedRequestBytes = 0
    /// The request being handled, if a handler is running.
    var responding: ResponseEncoder.Context?
    var handlerTask: Task<Void, Never>?
    var output: [UInt8] = []
    var outputOffset = 0
    /// Complete responses in `output`, reported to the timeout machine once written.
    var responsesInOutput = 0
    /// Output went over the high-water mark and has not yet drained to the low one: no
    /// input is read and no further request dispatched meanwhile.
    var outputBackedUp = false
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

    init(id: UInt64, fd: Int32, remoteAddress: String, isRejected: Bool, slot: Int, budget: ConnectionBudget,
         limits: HTTPParserLimits, timeouts: ConnectionTimeouts<ContinuousClock.Instant>) {
        self.id = id
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.isRejected = isRejected
        self.slot = slot
        self.budget = budget
        self.parser = HTTPRequestParser(limits: limits)
        self.timeouts = timeouts
    }

    var hasPendingOutput: Bool { outputOffset < output.count }

    /// Output bytes not yet accepted by the socket.
    var unsentByteCount: Int { output.count - outputOffset }

    /// Input held: unparsed bytes plus parsed requests waiting to be dispatched.
    var bufferedInputBytes: Int { parser.bufferedByteCount + queuedRequestBytes }

    /// Everything this connection holds in memory, for the server's peak statistic.
    var heldBytes: Int { unsentByteCount + bufferedInputBytes + parser.body.count }

    /// Whether no further request may be dispatched until the peer reads: output is over
    /// the high-water mark now, or was and has not drained to the low one.
    var isOutputBackedUp: Bool { outputBackedUp || unsentByteCount > budget.outputHighWater }

    /// Whether another parsed request may be queued.
    var mayQueueWork: Bool {
        work.count < Self.maxQueuedWork
            && budget.mayQueue(queuedBytes: queuedRequestBytes, queuedCount: work.count)
    }

    /// Queues work, counting a request's bytes against the input budget.
    func enqueue(_ item: Work) {
        if case .request(let request) = item { queuedRequestBytes += request.heldByteCount }
        work.append(item)
    }

    /// Takes the oldest queued work.
    func dequeue() -> Work {
        let item = work.removeFirst()
        if case .request(let request) = item { queuedRequestBytes -= request.heldByteCount }
        return item
    }

    /// Drops every queued item (the connection is closing).
    func clearWork() {
        work.removeAll()
        queuedRequestBytes = 0
    }

    /// Drops the written prefix of `output` once it is large, so a connection whose peer
    /// reads steadily but never fully catches up does not keep every byte it ever sent.
    func compactOutput() {
        guard outputOffset > 0 else { return }
        if outputOffset == output.count {
            output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
            outputOffset = 0
        } else if outputOffset >= 64 * 1024 && outputOffset * 2 >= output.count {
            output.removeSubrange(0..<outputOffset)
            outputOffset = 0
        }
    }

    /// Nothing in progress: no handler, no queued work, no unwritten bytes, no partial request.
    var isQuiet: Bool {
        responding == nil && work.isEmpty && !hasPendingOutput && parser.phase == .idle
    }

    /// What to wait for: input unless the connection is closing or has enough queued,
    /// output while bytes remain.
    var interest: PollSet.Interest {
        if lingering { return .read }
        var interest: PollSet.Interest = []
        if !parsingStopped && !peerClosed && !isRejected && !isOutputBackedUp
            && budget.mayRead(buffered: bufferedInputBytes) {
            interest.insert(.read)
        }
        if hasPendingOutput { interest.insert(.write) }
        return interest
    }

    /// Queued work items above which parsing pauses.
    static let maxQueuedWork = 16
}
