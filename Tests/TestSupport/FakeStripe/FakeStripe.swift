import Foundation
import HTTPClient
import Payments

/// The fake Stripe API (`fake-stripe.py`, beside this file) in a child process on an
/// ephemeral port of 127.0.0.1, with its control API.
public final class FakeStripe: Sendable {
    public static let apiKey = "sk_test_51BillportFakeKey0123456789"
    public static let webhookSecret = "whsec_BillportFakeWebhookSecret42"

    private let directory: TemporaryDirectory
    private let process: ChildProcess
    private let control: HTTPClient
    /// The port it listens on.
    public let port: Int

    /// Starts the fake and waits (up to `timeout`) for its `PORT <n>` line.
    public static func start(timeout: Duration = .seconds(20)) async throws -> FakeStripe {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fake-stripe.py").path
        let directory = TemporaryDirectory()
        let process = try ChildProcess("/usr/bin/env", ["python3", script, "--api-key", apiKey, "--webhook-secret", webhookSecret],
                                       directory: directory.path, name: "fake-stripe")
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = process.stdout.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }),
               let port = Int(line.dropFirst(5)) {
                return try FakeStripe(directory: directory, process: process, port: port)
            }
            guard process.isRunning else { throw FakeStripeError("fake-stripe.py exited: \(process.stderr)") }
            guard ContinuousClock.now < deadline else { throw FakeStripeError("fake-stripe.py printed no port in time") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    private init(directory: TemporaryDirectory, process: ChildProcess, port: Int) throws {
        self.directory = directory
        self.process = process
        self.port = port
        control = try HTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(15)))
    }

    /// The origin to configure as `StripeConfiguration.baseURL`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// A client of the fake with the key it accepts (or `key`).
    public func client(key: String = FakeStripe.apiKey) throws -> StripeClient {
        try StripeClient(configuration: StripeConfiguration(secretKey: StripeSecretKey(key), baseURL: baseURL,
                                                            timeout: .seconds(15)))
    }

    /// Every API request received so far, oldest first.
    public func requests() async throws -> [RecordedRequest] {
        try await call("GET", "/_test/requests", as: RecordedRequests.self).requests
    }

    /// Makes the next `count` API requests answer `status` (with `Stripe-Should-Retry` if given).
    public func failNext(status: Int, count: Int = 1, shouldRetry: Bool? = nil) async throws {
        var options: [String: Any] = ["status": status, "count": count]
        if let shouldRetry { options["should_retry"] = shouldRetry }
        _ = try await call("POST", "/_test/fail_next", options, as: Ignored.self)
    }

    /// Pays the session and returns the signed `checkout.session.completed` delivery; with a
    /// `webhookURL`, the fake also POSTs it there (signed with `secret`, dated `timestamp`).
    /// With `delayed`, the checkout completes unpaid (a bank debit): the money follows with
    /// `settleDelayed`.
    public func complete(_ sessionID: String, webhookURL: String? = nil, secret: String? = nil,
                  timestamp: Date? = nil, delayed: Bool = false) async throws -> SignedDelivery {
        var options: [String: Any] = ["async": delayed]
        if let webhookURL { options["webhook_url"] = webhookURL }
        if let secret { options["secret"] = secret }
        if let timestamp { options["timestamp"] = Int(timestamp.timeIntervalSince1970) }
        return try await call("POST", "/_test/complete/\(sessionID)", options, as: SignedDelivery.self)
    }

    /// Refunds `amount` of the session's charge and returns the signed `charge.refunded` delivery.
    public func refund(_ sessionID: String, amount: Int64, webhookURL: String? = nil) async throws -> SignedDelivery {
        var options: [String: Any] = ["amount": amount]
        if let webhookURL { options["webhook_url"] = webhookURL }
        return try await call("POST", "/_test/refund/\(sessionID)", options, as: SignedDelivery.self)
    }

    /// Ends a delayed payment: `checkout.session.async_payment_succeeded` or `…_failed`.
    public func settleDelayed(_ sessionID: String, succeeded: Bool, webhookURL: String? = nil) async throws -> SignedDelivery {
        var options: [String: Any] = ["succeeded": succeeded]
        if let webhookURL { options["webhook_url"] = webhookURL }
        return try await call("POST", "/_test/async/\(sessionID)", options, as: SignedDelivery.self)
    }

    /// Kills the fake and waits for it to be gone: the "provider down" case.
    public func stop() async throws {
        process.send(SIGKILL)
        _ = try await process.waitForExit(timeout: .seconds(10))
    }

    private func call<T: Decodable>(_ method: String, _ path: String, _ options: [String: Any] = [:],
                                    as type: T.Type) async throws -> T {
        let body = options.isEmpty ? [] : [UInt8](try JSONSerialization.data(withJSONObject: options))
        let response = try await control.send(HTTPClientRequest(method: .init(rawValue: method), url: baseURL + path,
                                                                headers: ["Content-Type": "application/json"], body: body))
        guard response.status == 200 else { throw FakeStripeError("\(method) \(path): \(response.status) \(response.text)") }
        return try JSONDecoder().decode(T.self, from: Data(response.body))
    }
}

public struct FakeStripeError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

private struct Ignored: Decodable {}
private struct RecordedRequests: Decodable { let requests: [RecordedRequest] }

/// One API request as the fake received it.
public struct RecordedRequest: Decodable, Sendable {
    public let method: String
    public let path: String
    public let clientPort: Int
    public let headers: [[String]]
    /// The raw form body, exactly as sent.
    public let body: String
    /// The body's pairs as Python's `parse_qsl` decoded them (how a server sees them).
    public let form: [[String]]

    enum CodingKeys: String, CodingKey { case method, path, headers, body, form, clientPort = "client_port" }

    public func header(_ name: String) -> String? {
        headers.first { $0[0].lowercased() == name.lowercased() }?[1]
    }

    /// The decoded value of a form field; nil when absent.
    public func field(_ name: String) -> String? {
        form.first { $0[0] == name }?[1]
    }

    /// Every decoded field name.
    public var fieldNames: Set<String> { Set(form.map { $0[0] }) }
}

/// An event delivery built by the fake: the exact body, its `Stripe-Signature` header and,
/// when it POSTed them to a webhook URL, what that answered.
public struct SignedDelivery: Decodable, Sendable {
    public struct Delivery: Decodable, Sendable {
        public let status: Int?
        public let body: String?
    }

    public let payload: String
    public let signature: String
    public let delivery: Delivery?
}
