/// A bounded pool of connections: at most `maximumConnections` open at once; a caller that finds
/// them all busy waits in line (first come, first served) without holding a thread. A connection
/// that is down when given back, or whose body threw `.connectionLost`, is dropped and its slot
/// freed for a fresh one, so one terminated backend costs one failed statement, not the pool.
public final class PostgresPool: Sendable {
    public let maximumConnections: Int
    private let connectionString: String
    private let connectTimeout: Duration
    private let slots: PoolSlots

    /// `connectionString` as `PostgresConnection` takes it; connections open on demand.
    public init(_ connectionString: String = "", maximumConnections: Int = 10, connectTimeout: Duration = .seconds(10)) {
        precondition(maximumConnections > 0, "a pool needs at least one connection")
        self.maximumConnections = maximumConnections
        self.connectionString = connectionString
        self.connectTimeout = connectTimeout
        slots = PoolSlots(limit: maximumConnections)
    }

    /// Runs `body` with a connection of its own for its duration. A task cancelled while it
    /// waits in line leaves the line with `CancellationError`.
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection: PostgresConnection
        switch try await slots.acquire() {
        case .idle(let idle): connection = idle
        case .open:
            do { connection = try PostgresConnection(connectionString, connectTimeout: connectTimeout) } catch {
                await slots.release(nil)
                throw error
            }
        }
        do {
            let value = try await body(connection)
            await slots.release(connection.isBroken ? nil : connection)
            return value
        } catch let error as PostgresError where error.kind == .connectionLost {
            await slots.release(nil)
            throw error
        } catch {
            await slots.release(connection.isBroken ? nil : connection)
            throw error
        }
    }

    /// How many connections are open now (idle or in use).
    public var openConnections: Int {
        get async { await slots.open }
    }
}

/// The pool's bookkeeping: open count, idle connections, and callers waiting in line.
actor PoolSlots {
    enum Lease: Sendable {
        case idle(PostgresConnection)
        /// A free slot: the caller opens the connection itself, outside the actor.
        case open
    }

    private let limit: Int
    private(set) var open = 0
    private var idle: [PostgresConnection] = []
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Lease, any Error>)] = []
    private var nextWaiter: UInt64 = 0

    init(limit: Int) { self.limit = limit }

    func acquire() async throws -> Lease {
        try Task.checkCancellation()
        if let connection = idle.popLast() { return .idle(connection) }
        if open < limit {
            open += 1
            return .open
        }
        let id = nextWaiter
        nextWaiter += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { waiters.append((id, continuation)) }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    /// Gives back a connection, or its slot when `connection` is nil (dropped or never opened).
    func release(_ connection: PostgresConnection?) {
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: connection.map(Lease.idle) ?? .open)
            return
        }
        if let connection { idle.append(connection) } else { open -= 1 }
    }
}
