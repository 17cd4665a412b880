import BillportCore
import Foundation
import Queue

/// Runs jobs: one loop per configured queue claims up to its free slots, starts each job in a
/// task of its own, and writes finished outcomes together with its next claim.
///
/// Loops poll with a backoff while their queue is empty, and wake at once when this process
/// enqueues into it or a job finishes. On shutdown they stop claiming, let running jobs finish
/// until the grace period ends, then give the rest back to `ready`.
public final class WorkerPool: Service {
    public let name = "worker"
    private let store: any JobStore
    private let handlers: JobHandlers
    private let configuration: WorkerConfiguration
    private let retryPolicy: RetryPolicy
    private let clock: any WallClock
    private let logger: Logger
    private let metrics: JobRunMetrics

    /// A pool running `handlers` on jobs from `store`.
    public init(store: any JobStore, handlers: JobHandlers, configuration: WorkerConfiguration = .init(),
                retryPolicy: RetryPolicy = .init(), clock: any WallClock = SystemClock(), logger: Logger) {
        self.store = store
        self.handlers = handlers
        self.configuration = configuration
        self.retryPolicy = retryPolicy
        self.clock = clock
        self.logger = logger.labelled("worker").with("worker", configuration.workerID)
        metrics = JobRunMetrics(knownKinds: Set(handlers.kinds))
    }

    public func run(until shutdown: ShutdownSignal) async throws {
        let inFlight = InFlightJobs()
        let queues = configuration.queues.sorted { $0.key < $1.key }
        logger.info("worker started", [
            "queues": queues.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
            "kinds": handlers.kinds.joined(separator: ","),
        ])
        let heartbeatStop = ShutdownSignal()
        async let heartbeats: Void = heartbeat(inFlight, until: heartbeatStop)
        await withTaskGroup(of: Void.self) { group in
            for (queue, concurrency) in queues {
                group.addTask { await self.serve(queue: queue, concurrency: concurrency, inFlight: inFlight, shutdown: shutdown) }
            }
        }
        heartbeatStop.trigger()
        await heartbeats
        logger.info("worker stopped")
    }

    // MARK: The queue loop

    private func serve(queue: String, concurrency: Int, inFlight: InFlightJobs, shutdown: ShutdownSignal) async {
        let bell = Doorbell()
        store.notifier.subscribe(queue: queue, bell: bell)
        let shutdownRelay = Task { await shutdown.wait(); bell.ring() }
        defer {
            shutdownRelay.cancel()
            store.notifier.unsubscribe(bell)
        }
        var idleWait = configuration.pollInterval
        var drainDeadline: ContinuousClock.Instant?
        while true {
            if shutdown.isTriggered, drainDeadline == nil {
                drainDeadline = .now + configuration.shutdownGracePeriod
            }
            if let drainDeadline, ContinuousClock.now >= drainDeadline {
                let released = inFlight.releaseAll(queue: queue)
                if released > 0 {
                    logger.warning("grace period over: giving running jobs back to ready", ["queue": queue, "jobs": "\(released)"])
                }
                // Outcomes that cannot be written even now are not lost: the leases expire and
                // the jobs run again.
                if ContinuousClock.now >= drainDeadline + .seconds(10) { return }
            }
            let acknowledgements = inFlight.takeFinished(queue: queue)
            let running = inFlight.runningCount(queue: queue)
            if drainDeadline != nil, running == 0, acknowledgements.isEmpty { return }

            let limit = drainDeadline == nil ? concurrency - running : 0
            var claimed: [ClaimedJob] = []
            if limit > 0 || !acknowledgements.isEmpty {
                do {
                    claimed = try await store.claim(queue: queue, limit: limit, worker: configuration.workerID,
                                                    acknowledging: acknowledgements)
                } catch {
                    inFlight.restoreFinished(acknowledgements, queue: queue)
                    logger.error("claiming jobs failed; trying again", ["queue": queue, "error": "\(error)"])
                    await bell.wait(timeout: configuration.maxPollInterval)
                    continue
                }
            }
            for job in claimed {
                start(job, inFlight: inFlight, bell: bell)
            }

            if drainDeadline != nil {
                await bell.wait(timeout: .milliseconds(100))
            } else if !claimed.isEmpty, claimed.count == limit {
                // Every slot is busy; a finishing job rings the bell.
                idleWait = configuration.pollInterval
                await bell.wait(timeout: configuration.maxPollInterval)
            } else if limit > 0 {
                // The queue is empty (for this process); wait longer each time it stays so.
                if !claimed.isEmpty { idleWait = configuration.pollInterval }
                await bell.wait(timeout: idleWait)
                idleWait = min(idleWait * 2, configuration.maxPollInterval)
            } else {
                await bell.wait(timeout: configuration.maxPollInterval)
            }
        }
    }

    // MARK: Running one job

    private func start(_ job: ClaimedJob, inFlight: InFlightJobs, bell: Doorbell) {
        inFlight.add(job)
        let timeout = handlers.timeout(for: job.kind) ?? configuration.jobTimeout
        let retryPolicy = handlers.retryPolicy(for: job.kind) ?? self.retryPolicy
        let started = ContinuousClock.now
        let task = Task {
            let timer = Task {
                try await Task.sleep(for: timeout)
                let outcome = retryPolicy.outcome(
                    forFailureOf: job, error: "timed out after \(DurationText.format(timeout))",
                    now: self.clock.now(), unit: Double.random(in: 0...1))
                if inFlight.interrupt(job.lease, outcome) {
                    self.log(job, outcome)
                    self.metrics.record(kind: job.kind, outcome: outcome, elapsed: ContinuousClock.now - started)
                    bell.ring()
                }
            }
            let outcome = await self.execute(job)
            timer.cancel()
            if inFlight.finish(job.lease, outcome) {
                self.log(job, outcome)
                self.metrics.record(kind: job.kind, outcome: outcome, elapsed: ContinuousClock.now - started)
                bell.ring()
            }
        }
        inFlight.attach(task, to: job.lease)
    }

    /// Runs the handler and turns how it ended into an outcome.
    private func execute(_ job: ClaimedJob) async -> JobOutcome {
        guard let handler = handlers.handler(for: job.kind) else {
            return .dead(error: "no handler for job kind \"\(job.kind)\" (this worker handles: \(handlers.kinds.joined(separator: ", ")))")
        }
        let context = JobContext(job: job, logger: logger.with("job", "\(job.id)").with("kind", job.kind), clock: clock)
        do {
            try await handler.handle(context)
            return .completed
        } catch JobError.discard(let reason) {
            return .dead(error: reason)
        } catch JobError.snooze(let delay) {
            return .snoozed(until: clock.now().addingTimeInterval(delay.timeInterval))
        } catch {
            return (handlers.retryPolicy(for: job.kind) ?? retryPolicy).outcome(forFailureOf: job, error: String(describing: error), now: clock.now(),
                                       unit: Double.random(in: 0...1))
        }
    }

    private func log(_ job: ClaimedJob, _ outcome: JobOutcome) {
        let metadata: LogMetadata = ["job": "\(job.id)", "kind": job.kind, "attempt": "\(job.attempt)/\(job.maxAttempts)"]
        switch outcome {
        case .completed:
            logger.debug("job done", metadata)
        case .retry(let error, let at):
            logger.warning("job failed; will retry", metadata.merging(["error": error, "retryAt": ISO8601.format(at)]) { $1 })
        case .dead(let error):
            logger.error("job dead", metadata.merging(["error": error]) { $1 })
        case .snoozed(let until):
            logger.debug("job snoozed", metadata.merging(["until": ISO8601.format(until)]) { $1 })
        case .released:
            break
        }
    }

    // MARK: Leases

    private func heartbeat(_ inFlight: InFlightJobs, until stop: ShutdownSignal) async {
        while !(await stop.wait(timeout: configuration.heartbeatInterval)) {
            let leases = inFlight.leases
            guard !leases.isEmpty else { continue }
            do {
                let lost = try await store.heartbeat(leases, worker: configuration.workerID)
                if !lost.isEmpty {
                    inFlight.abandon(lost)
                    logger.warning("stopped jobs that were cancelled or whose lease was lost",
                                   ["jobs": lost.map { "\($0.id)" }.sorted().joined(separator: ",")])
                }
            } catch {
                logger.error("renewing leases failed", ["error": "\(error)"])
            }
        }
    }
}
