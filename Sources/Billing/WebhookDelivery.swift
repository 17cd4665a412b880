import BillportCore
import Foundation

/// One event on its way to one endpoint, as the tenant inspects it.
public struct WebhookDelivery: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Waiting for its first attempt or for a retry.
        case pending
        case succeeded
        /// No attempt left, the endpoint answered 410, or the endpoint was disabled.
        case failed
    }

    public var id: Int64
    public var endpointID: Int64
    /// The event's `webhook-id`: the same on every attempt and every replay.
    public var messageID: String
    public var eventType: String
    public var state: State
    public var attempts: Int
    public var lastStatus: Int?
    /// The first `WebhookDeliveryRule.maxResponseBytes` of the last answer.
    public var lastResponse: String?
    public var lastError: String?
    public var lastDurationMilliseconds: Int?
    public var createdAt: Date
    public var lastAttemptAt: Date?
    public var nextAttemptAt: Date?
    public var completedAt: Date?

    public init(id: Int64, endpointID: Int64, messageID: String, eventType: String, state: State, attempts: Int, lastStatus: Int?,
                lastResponse: String?, lastError: String?, lastDurationMilliseconds: Int?, createdAt: Date, lastAttemptAt: Date?,
                nextAttemptAt: Date?, completedAt: Date?) {
        self.id = id
        self.endpointID = endpointID
        self.messageID = messageID
        self.eventType = eventType
        self.state = state
        self.attempts = attempts
        self.lastStatus = lastStatus
        self.lastResponse = lastResponse
        self.lastError = lastError
        self.lastDurationMilliseconds = lastDurationMilliseconds
        self.createdAt = createdAt
        self.lastAttemptAt = lastAttemptAt
        self.nextAttemptAt = nextAttemptAt
        self.completedAt = completedAt
    }
}

/// What one attempt came to.
public struct WebhookAttempt: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        /// A 2xx.
        case delivered
        /// 410 Gone: the receiver says the endpoint is no more; it is disabled.
        case gone
        /// Any other answer, a timeout or a connection error: try again later.
        case failed
    }

    public let deliveryID: Int64
    public let result: Result
    public let status: Int?
    public let response: String?
    public let error: String?
    public let durationMilliseconds: Int

    public init(deliveryID: Int64, result: Result, status: Int?, response: String?, error: String?, durationMilliseconds: Int) {
        self.deliveryID = deliveryID
        self.result = result
        self.status = status
        self.response = response
        self.error = error
        self.durationMilliseconds = durationMilliseconds
    }
}

/// How deliveries are retried and when an endpoint is given up on.
///
/// The default schedule waits 1 min after the first failed attempt and doubles up to 12 h, each
/// wait shortened by up to 25 % at random: 1, 2, 4 … 512 min, then 12 h five times. The 16th
/// attempt comes about three days (2.8 on average, at most 3.2) after the first; then the
/// delivery is `failed`. When `disableAfterFailures` deliveries in a row have failed for good
/// (a success in between resets the count), the endpoint is disabled and the tenant told.
public struct WebhookDeliveryRule: Sendable, Equatable {
    public var retry: RetryPolicy
    /// Attempts in all for one delivery.
    public var maxAttempts: Int
    /// Deliveries failed for good in a row after which the endpoint is disabled.
    public var disableAfterFailures: Int

    public init(retry: RetryPolicy = RetryPolicy(base: .seconds(60), maximum: .seconds(12 * 3600), jitter: 0.25), maxAttempts: Int = 16,
                disableAfterFailures: Int = 5) {
        self.retry = retry
        self.maxAttempts = maxAttempts
        self.disableAfterFailures = disableAfterFailures
    }

    /// How much of a receiver's answer is kept for the delivery log.
    public static let maxResponseBytes = 1024

    /// The result of an answer with `status`.
    public static func result(status: Int) -> WebhookAttempt.Result {
        switch status {
        case 200..<300: .delivered
        case 410: .gone
        default: .failed
        }
    }

    /// When a delivery that failed its `attempts`-th attempt at `now` runs again, or nil when it
    /// has no attempt left. `unit` is a random number in 0…1 (the jitter).
    public func nextAttempt(after attempts: Int, now: Date, unit: Double) -> Date? {
        guard attempts < maxAttempts else { return nil }
        return now.addingTimeInterval(retry.delay(afterAttempt: attempts, unit: unit).timeInterval)
    }
}

/// The deliveries one run of `webhooks.deliver` sends to one endpoint, with what it needs to send
/// them. Only the run holding the endpoint's delivery lease gets one, so one endpoint receives
/// one request at a time, in event order (a retry goes out when due, between newer events).
public struct WebhookDeliveryBatch: Sendable {
    public struct Item: Sendable {
        public let deliveryID: Int64
        public let messageID: String
        public let body: [UInt8]
        public init(deliveryID: Int64, messageID: String, body: [UInt8]) {
            self.deliveryID = deliveryID
            self.messageID = messageID
            self.body = body
        }
    }

    public let url: String
    /// `whsec_…` texts: the current secret, then the previous one during a rotation's overlap.
    public let secrets: [String]
    public let items: [Item]

    public init(url: String, secrets: [String], items: [Item]) {
        self.url = url
        self.secrets = secrets
        self.items = items
    }
}

/// What a delivery run finds when it starts.
public enum WebhookDeliveryStart: Sendable {
    /// It holds the lease: send these.
    case batch(WebhookDeliveryBatch)
    /// Another run holds the lease until then; that run sends what is due, unless it died, in
    /// which case the lease runs out and whoever comes next takes over.
    case held(until: Date)
    /// The endpoint is gone or disabled.
    case closed
}

/// Why an endpoint stopped receiving, told to the tenant by email.
public enum WebhookDisableReason: String, Sendable, Codable {
    /// The receiver answered 410 Gone.
    case gone
    /// `WebhookDeliveryRule.disableAfterFailures` deliveries in a row failed for good.
    case failing
}

/// How webhooks are sent (`webhooks.*`).
public struct WebhookDeliverySettings: Sendable, Equatable {
    public var policy: WebhookDestinationPolicy
    public var connectTimeout: Duration
    /// The whole request, connect included.
    public var timeout: Duration
    public var rule: WebhookDeliveryRule
    /// How long deliveries and events are kept (`webhooks.retain`).
    public var retention: Duration
    /// Deliveries read per batch; a batch also ends after a second of sending, so results are
    /// recorded (and the lease renewed) at least that often.
    public var batchSize = 64
    /// How long one run sends before it hands the endpoint to a fresh run.
    public var runBudget: Duration = .seconds(30)
    /// Deliveries a process sends per second at most, over all endpoints (0: no limit), so that
    /// a burst of events (a bulk issue, a backlog after an outage) leaves the API its CPU.
    public var maxPerSecond: Int

    public init(policy: WebhookDestinationPolicy = WebhookDestinationPolicy(), connectTimeout: Duration = .seconds(5), timeout: Duration = .seconds(15),
                rule: WebhookDeliveryRule = WebhookDeliveryRule(), retention: Duration = .seconds(30 * 86_400), maxPerSecond: Int = 1_250) {
        self.maxPerSecond = maxPerSecond
        self.policy = policy
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.rule = rule
        self.retention = retention
    }
}
