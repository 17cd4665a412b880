import BillportCore
import Foundation

/// A job to enqueue: what to do, with what, where and when.
public struct NewJob: Sendable, Hashable {
    /// Selects the handler: lowercase letters, digits, `.`, `_`, `-`, at most 100 characters.
    public let kind: String
    /// JSON text; valid by construction or checked by the initialiser.
    public let payload: String
    /// The queue; workers are configured per queue. Same character rules as `kind`.
    public var queue: String
    /// 0 (most urgent) to 9; lower runs first, then older.
    public var priority: Int
    /// Not before this instant; nil means now.
    public var runAt: Date?
    /// Attempts in all before the job is dead; nil takes the queue's default.
    public var maxAttempts: Int?
    /// While a job with this key is scheduled, ready or running, enqueuing another returns it instead.
    public var uniqueKey: String?

    /// A job whose payload is encoded from `payload`.
    public init(kind: String, payload: some Encodable & Sendable, queue: String = "default", priority: Int = 0,
                runAt: Date? = nil, maxAttempts: Int? = nil, uniqueKey: String? = nil) throws(JobValidationError) {
        let data: Data
        do {
            data = try JSONEncoder.payload.encode(payload)
        } catch {
            throw JobValidationError(field: "payload", message: "cannot be encoded as JSON: \(error)")
        }
        try self.init(kind: kind, json: String(decoding: data, as: UTF8.self), validated: true, queue: queue,
                      priority: priority, runAt: runAt, maxAttempts: maxAttempts, uniqueKey: uniqueKey)
    }

    /// A job with a payload given as JSON text (from the CLI or another process); the text must
    /// be one JSON value.
    public init(kind: String, payloadJSON: String = "{}", queue: String = "default", priority: Int = 0,
                runAt: Date? = nil, maxAttempts: Int? = nil, uniqueKey: String? = nil) throws(JobValidationError) {
        try self.init(kind: kind, json: payloadJSON, validated: false, queue: queue, priority: priority,
                      runAt: runAt, maxAttempts: maxAttempts, uniqueKey: uniqueKey)
    }

    private init(kind: String, json: String, validated: Bool, queue: String, priority: Int, runAt: Date?,
                 maxAttempts: Int?, uniqueKey: String?) throws(JobValidationError) {
        try Self.checkName(kind, field: "kind")
        try Self.checkName(queue, field: "queue")
        guard (0...9).contains(priority) else {
            throw JobValidationError(field: "priority", message: "must be between 0 and 9 (got \(priority))")
        }
        if let maxAttempts, !(1...1000).contains(maxAttempts) {
            throw JobValidationError(field: "maxAttempts", message: "must be between 1 and 1000 (got \(maxAttempts))")
        }
        if let uniqueKey, uniqueKey.isEmpty || uniqueKey.utf8.count > 500 {
            throw JobValidationError(field: "uniqueKey", message: "must be 1 to 500 bytes")
        }
        if !validated {
            guard (try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])) != nil else {
                throw JobValidationError(field: "payload", message: "is not valid JSON")
            }
        }
        self.kind = kind
        self.payload = json
        self.queue = queue
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
    }

    private static func checkName(_ name: String, field: String) throws(JobValidationError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard allowed, (1...100).contains(name.utf8.count) else {
            throw JobValidationError(field: field, message: "must be 1 to 100 characters of a-z, 0-9, '.', '_', '-' (got \"\(name)\")")
        }
    }
}

/// A job that cannot be enqueued as given; names the field.
public struct JobValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field) \(message)" }
}

extension JSONEncoder {
    /// Payload encoding: stable key order, so equal payloads are equal text.
    static var payload: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension NewJob {
    /// A job of `kind` carrying `payload`, on the kind's queue and with its attempts unless the
    /// caller names another queue.
    public init<Payload>(_ kind: JobKind<Payload>, _ payload: Payload, queue: String? = nil, priority: Int = 0, runAt: Date? = nil,
                         uniqueKey: String? = nil) throws(JobValidationError) {
        try self.init(kind: kind.name, payload: payload, queue: queue ?? kind.queue, priority: priority, runAt: runAt,
                      maxAttempts: kind.maxAttempts, uniqueKey: uniqueKey)
    }
}
