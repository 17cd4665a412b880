import BillportCore
import Foundation

/// Does the work of one job kind. Delivery is at least once, so a handler must be idempotent:
/// running it twice for the same job (after a crash) must leave the same result as once.
public protocol JobHandler: Sendable {
    /// Does the work; returning means done, throwing means this attempt failed (see `JobError`).
    func handle(_ context: JobContext) async throws
}

/// What a handler gets: the job, a logger labelled with it, and the clock.
public struct JobContext: Sendable {
    /// The claimed job.
    public let job: ClaimedJob
    /// Carries `job` and `kind` metadata.
    public let logger: Logger
    /// The worker's clock.
    public let clock: any WallClock

    public init(job: ClaimedJob, logger: Logger, clock: any WallClock) {
        self.job = job
        self.logger = logger
        self.clock = clock
    }

    /// Decodes the payload as `T`. A payload that does not fit is an error no retry can fix, so
    /// it throws `JobError.discard`, which makes the job dead at once with the reason kept.
    public func payload<T: Decodable>(as type: T.Type) throws(JobError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(job.payload.utf8))
        } catch let error as DecodingError {
            throw JobError.discard("payload is not valid for \(job.kind): \(DecodingErrorText.describe(error))")
        } catch {
            throw JobError.discard("payload is not valid for \(job.kind): \(error)")
        }
    }
}

/// Failures a handler throws to say more than "try again later".
public enum JobError: Error, Sendable, Equatable, CustomStringConvertible {
    /// This job can never succeed (bad payload, deleted invoice): dead at once, reason kept.
    case discard(String)
    /// Not now: run again after `delay` without spending an attempt.
    case snooze(Duration)

    public var description: String {
        switch self {
        case .discard(let reason): return reason
        case .snooze(let delay): return "snoozed for \(DurationText.format(delay))"
        }
    }
}

/// A handler from a closure.
public struct ClosureJobHandler: JobHandler {
    private let body: @Sendable (JobContext) async throws -> Void

    public init(_ body: @escaping @Sendable (JobContext) async throws -> Void) {
        self.body = body
    }

    public func handle(_ context: JobContext) async throws {
        try await body(context)
    }
}

/// Handlers by job kind, with each kind's own timeout and backoff, fixed before the workers start.
public struct JobHandlers: Sendable {
    /// One kind's handler and the policies its `JobKind` declared.
    struct Registration: Sendable {
        let handler: any JobHandler
        let timeout: Duration?
        let retry: RetryPolicy?
    }

    private var byKind: [String: Registration] = [:]

    /// No handlers.
    public init() {}

    /// Registers `handler` for `kind`, replacing any earlier one.
    public mutating func register(_ kind: String, _ handler: any JobHandler) {
        byKind[kind] = Registration(handler: handler, timeout: nil, retry: nil)
    }

    /// Registers a closure for `kind`.
    public mutating func register(_ kind: String, _ body: @escaping @Sendable (JobContext) async throws -> Void) {
        register(kind, ClosureJobHandler(body))
    }

    /// Registers `body` for a typed kind: the payload is decoded as the kind's payload type (a
    /// payload that does not fit is dead at once), and the kind's timeout and backoff apply.
    public mutating func register<Payload>(_ kind: JobKind<Payload>,
                                           _ body: @escaping @Sendable (Payload, JobContext) async throws -> Void) {
        let handler = ClosureJobHandler { context in try await body(try context.payload(as: Payload.self), context) }
        byKind[kind.name] = Registration(handler: handler, timeout: kind.timeout, retry: kind.retry)
    }

    /// The handler for `kind`, if any.
    public func handler(for kind: String) -> (any JobHandler)? { byKind[kind]?.handler }

    /// The attempt timeout `kind` declared, if any.
    public func timeout(for kind: String) -> Duration? { byKind[kind]?.timeout }

    /// The backoff `kind` declared, if any.
    public func retryPolicy(for kind: String) -> RetryPolicy? { byKind[kind]?.retry }

    /// Every registered kind, sorted.
    public var kinds: [String] { byKind.keys.sorted() }
}
