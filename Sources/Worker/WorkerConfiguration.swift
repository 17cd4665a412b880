import Foundation

/// How a worker process runs jobs.
public struct WorkerConfiguration: Sendable, Equatable {
    /// Queues this worker serves, with how many jobs of each may run at once.
    public var queues: [String: Int]
    /// The first wait when a queue is empty; doubles while it stays empty.
    public var pollInterval: Duration
    /// The longest wait between polls of an empty queue (jobs from other processes are found
    /// by polling; jobs enqueued in this process wake the worker at once).
    public var maxPollInterval: Duration
    /// An attempt running longer fails with a timeout and is retried.
    public var jobTimeout: Duration
    /// On shutdown, how long running jobs may take to finish before they are given back.
    public var shutdownGracePeriod: Duration
    /// How often leases of running jobs are renewed; well under the queue's lease duration.
    public var heartbeatInterval: Duration
    /// This worker's name in leases; unique per process.
    public var workerID: String

    /// Defaults: `default` queue with 10 slots, `mail` with 4, `webhooks` with 8 (one endpoint at a time each), polls from 50 ms to 1 s, 5 min job timeout,
    /// 25 s grace period, heartbeat every 20 s.
    public init(queues: [String: Int] = ["default": 10, "mail": 4, "webhooks": 8], pollInterval: Duration = .milliseconds(50),
                maxPollInterval: Duration = .seconds(1), jobTimeout: Duration = .seconds(300),
                shutdownGracePeriod: Duration = .seconds(25), heartbeatInterval: Duration = .seconds(20),
                workerID: String = WorkerConfiguration.defaultWorkerID()) {
        self.queues = queues
        self.pollInterval = pollInterval
        self.maxPollInterval = maxPollInterval
        self.jobTimeout = jobTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.heartbeatInterval = heartbeatInterval
        self.workerID = workerID
    }

    /// `host:pid:random`, readable in `billport jobs show` and unique across restarts.
    public static func defaultWorkerID() -> String {
        let suffix = String(UInt32.random(in: 0x100000...0xFFFFFF), radix: 16)
        return "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(suffix)"
    }
}
