internal import Foundation
internal import Glibc

/// The I/O side of the server: one dedicated thread that owns every socket and waits in
/// `poll(2)`, never on Swift's cooperative pool. Handlers run in Tasks and post their
/// responses back through a locked mailbox and a wake-up pipe.
///
/// The loop is also the handlers' preferred task executor: a handler that does not suspend
/// (a health check, a cached answer) runs to completion on the loop thread between two polls,
/// with no thread hop; one that awaits blocking work (SQLite on its own queue) resumes here.
/// Handlers must therefore not block; CPU work of a millisecond or two is fine.
///
/// Everything below `mailbox` is touched only by the loop thread, which is what makes the
/// `@unchecked Sendable` sound.
final class EventLoop: TaskExecutor, @unchecked Sendable {
    enum Message {
        case response(connection: UInt64, HTTPResponse)
        case shutdown(gracePeriod: Duration)
    }

    struct Mailbox {
        var messages: [Message] = []
        var jobs: [UnownedJob] = []
        var wakePending = false
        var exited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    static let listenerID: UInt64 = 0
    static let wakeID: UInt64 = 1

    let configuration: HTTPServerConfiguration
    let handler: HTTPHandler
    let clock = ContinuousClock()
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let mailbox = Locked(Mailbox())

    // Loop-thread state.
    var listenFD: Int32
    var listenSlot: Int?
    var listenPausedUntil: ContinuousClock.Instant?
    var pollSet = PollSet()
    var connections: [UInt64: Connection] = [:]
    var timers = DeadlineHeap<ContinuousClock.Instant>()
    var nextID: UInt64 = 2
    var servedCount = 0
    var rejectedCount = 0
    /// Served connections per peer address, for `maxConnectionsPerAddress`.
    var connectionsByAddress: [String: Int] = [:]
    /// Whether the server is in its near-capacity band (see `updateNearCapacity`).
    var nearCapacity = false
    var peakHeldBytes = 0
    /// Shared with `HTTPServer`, which publishes it to other threads.
    let statistics: Locked<HTTPServerStatistics>
    var encoder: ResponseEncoder
    var drainDeadline: ContinuousClock.Instant?
    let readBuffer: UnsafeMutableRawBufferPointer

    init(configuration: HTTPServerConfiguration, handler: @escaping HTTPHandler, listenFD: Int32,
         statistics: Locked<HTTPServerStatistics>) throws(HTTPServerError) {
        self.configuration = configuration
        self.statistics = statistics
        self.handler = handler
        self.listenFD = listenFD
        (wakeRead, wakeWrite) = try Socket.makeWakePipe()
        encoder = ResponseEncoder(log: configuration.log)
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        listenSlot = pollSet.add(fd: listenFD, interest: .read, owner: Self.listenerID)
        _ = pollSet.add(fd: wakeRead, interest: .read, owner: Self.wakeID)
    }

    /// The loop thread, once started.
    private let loopThread = Locked<pthread_t?>(nil)

    /// Starts the loop thread.
    func start() {
        let thread = Thread { [self] in
            self.loopThread.withLock { $0 = pthread_self() }
            self.run()
        }
        thread.name = "HTTPServer.io"
        thread.start()
    }

    // MARK: - Other threads

    /// Hands a message to the loop and wakes it. The pipe is written under the lock so that
    /// it is never written after the loop has closed it.
    func post(_ message: Message) {
        mailbox.withLock { box in
            guard !box.exited else { return }
            box.messages.append(message)
            wake(&box)
        }
    }

    /// Runs `job` on the loop thread (TaskExecutor). After the loop has exited, jobs go to
    /// the global executor so that no task is ever stranded.
    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let accepted = mailbox.withLock { box -> Bool in
            guard !box.exited else { return false }
            box.jobs.append(unowned)
            wake(&box)
            return true
        }
        if !accepted { globalConcurrentExecutor.enqueue(unowned) }
    }

    /// Writes the wake-up byte unless one is pending or the loop thread itself is the caller
    /// (it looks at the mailbox again before it next waits).
    private func wake(_ box: inout Mailbox) {
        guard !box.wakePending, !isLoopThread else { return }
        box.wakePending = true
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWrite, &byte, 1)
    }

    private var isLoopThread: Bool {
        guard let thread = loopThread.withLock({ $0 }) else { return false }
        return pthread_equal(thread, pthread_self()) != 0
    }

    /// Suspends until the loop thread has closed everything and exited.
    func waitUntilExited() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = mailbox.withLock { box in
                if box.exited { return true }
                box.exitWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    // MARK: - The loop

    private func run() {
        while true {
            let now = clock.now
            fireTimers(now: now)
            if let drainDeadline {
                if connections.isEmpty { break }
                if now >= drainDeadline {
                    log("grace period over; closing \(connections.count) connection(s)")
                    for connection in Array(connections.values) { close(connection) }
                    break
                }
            }
            if let paused = listenPausedUntil, now >= paused, let slot = listenSlot {
                listenPausedUntil = nil
                pollSet.setInterest(.read, slot: slot)
            }
            let ready = pollSet.wait(timeoutMilliseconds: hasLocalWork ? 0 : pollTimeout(now: now))
            let after = clock.now
            for event in ready {
                switch event.owner {
                case Self.listenerID: acceptConnections(now: after)
                case Self.wakeID: receiveMessages(now: after)
                default:
                    guard let connection = connections[event.owner] else { continue }
                    if event.invalid { close(connection); continue }
                    if event.readable { handleReadable(connection, now: after) }
                    if event.writable, connections[event.owner] != nil { flush(connection, now: after) }
                }
            }
            runJobs()
            if hasLocalWork { receiveMessages(now: clock.now) }
        }
        exit()
    }

    /// Runs the tasks enqueued on this executor, including those they enqueue in turn.
    private func runJobs() {
        while true {
            let jobs = mailbox.withLock { box in
                defer { box.jobs = [] }
                return box.jobs
            }
            if jobs.isEmpty { return }
            for job in jobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }

    /// Messages or jobs posted from the loop thread itself, which wrote no wake-up byte.
    private var hasLocalWork: Bool {
        mailbox.withLock { !$0.messages.isEmpty || !$0.jobs.isEmpty }
    }

    private func pollTimeout(now: ContinuousClock.Instant) -> Int32 {
        var next = timers.earliest
        for candidate in [drainDeadline, listenPausedUntil] {
            if let candidate, next == nil || candidate < next! { next = candidate }
        }
        guard let next else { return -1 }
        let remaining = now.duration(to: next)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }

    private func receiveMessages(now: ContinuousClock.Instant) {
        // Drain the pipe before taking messages: a byte written after the take stays for
        // the next wait, so no message can be stranded.
        var scratch = [UInt8](repeating: 0, count: 64)
        while Glibc.read(wakeRead, &scratch, scratch.count) > 0 {}
        let messages = mailbox.withLock { box in
            box.wakePending = false
            defer { box.messages = [] }
            return box.messages
        }
        for message in messages {
            switch message {
            case .response(let id, let response):
                guard let connection = connections[id] else { continue }
                deliver(response, to: connection, now: now)
            case .shutdown(let gracePeriod):
                beginShutdown(deadline: now.advanced(by: gracePeriod))
            }
        }
    }

    // MARK: - Timers

    /// Applies a timeout-machine action to a connection.
    func apply(_ action: ConnectionTimeouts<ContinuousClock.Instant>.Action, to connection: Connection,
               now: ContinuousClock.Instant) {
        switch action {
        case .none:
            break
        case .schedule(let deadline):
            if let scheduled = connection.scheduledTimer, scheduled <= deadline { return }
            connection.scheduledTimer = deadline
            timers.push(deadline, id: connection.id)
        case .close(let kind):
            log("closing connection from \(connection.remoteAddress): \(kind) timeout")
            close(connection)
        case .requestTimeout(let kind):
            log("answering 408 to \(connection.remoteAddress): \(kind) timeout")
            answerRequestTimeout(connection, now: now)
        }
    }

    private func fireTimers(now: ContinuousClock.Instant) {
        while let entry = timers.popDue(now: now) {
            guard let connection = connections[entry.id], connection.scheduledTimer == entry.deadline else {
                continue
            }
            connection.scheduledTimer = nil
            apply(connection.timeouts.timeoutFired(now: now), to: connection, now: now)
        }
    }

    // MARK: - Shutdown

    private func beginShutdown(deadline: ContinuousClock.Instant) {
        if let current = drainDeadline, current <= deadline { return }
        drainDeadline = deadline
        closeListener()
        for connection in Array(connections.values) {
            if connection.timeouts.quiesce() == .close && connection.isQuiet {
                close(connection)
            }
        }
    }

    private func closeListener() {
        guard let slot = listenSlot else { return }
        removeSlot(slot)
        listenSlot = nil
        Socket.close(listenFD)
        listenFD = -1
    }

    /// Removes a poll slot and repairs the slot of whichever entry moved into it.
    func removeSlot(_ slot: Int) {
        guard let moved = pollSet.remove(slot: slot) else { return }
        switch moved {
        case Self.listenerID: listenSlot = slot
        case Self.wakeID: break
        default: connections[moved]?.slot = slot
        }
    }

    private func exit() {
        closeListener()
        readBuffer.deallocate()
        let (waiters, jobs) = mailbox.withLock { box in
            box.exited = true
            box.messages = []
            defer { box.jobs = [] }
            Socket.close(wakeRead)
            Socket.close(wakeWrite)
            defer { box.exitWaiters = [] }
            return (box.exitWaiters, box.jobs)
        }
        for job in jobs { globalConcurrentExecutor.enqueue(job) }
        for waiter in waiters { waiter.resume() }
    }

    func log(_ message: @autoclosure () -> String) {
        configuration.log?(message())
    }
}
