import Foundation
import Synchronization
import TestSupport
import Testing

/// What the driver made of one invoice.
struct DrivenInvoice: Sendable {
    let number: String
    let id: Int
    let shareToken: String
    /// The API host that made the share link.
    let sharedThrough: Int
}

/// Drives invoices through the API hosts as a tenant and its buyers would: create, issue (a
/// `pdf.render` job), share, send (an `email.send` job), pay through a checkout whose completed
/// event the provider POSTs, signed, to a host's webhook (a `payment.event` job). Consecutive
/// steps alternate between the hosts. Each tenant POST carries an `Idempotency-Key`, so a
/// retry on another host after a lost answer replays it; a key left in flight by a killed
/// host (409 `idempotency_key_in_use` for five minutes) is resolved by what the step left.
final class InvoiceDriver: Sendable {
    private let hosts: APIHosts
    private let fake: FakeStripe
    private let customerID: Int
    /// Whether `email.send` was enqueued for an invoice (id): what a lost send answer left.
    private let sendEnqueued: @Sendable (Int) async throws -> Bool
    private let progress = Atomic<Int>(0)

    init(hosts: APIHosts, fake: FakeStripe, customerID: Int, sendEnqueued: @escaping @Sendable (Int) async throws -> Bool) {
        self.hosts = hosts
        self.fake = fake
        self.customerID = customerID
        self.sendEnqueued = sendEnqueued
    }

    /// Invoices driven to the end so far, by every lane.
    var completed: Int { progress.load(ordering: .acquiring) }

    /// Drives `numbers` one after another; `lane` picks the first host.
    func drive(_ numbers: [String], lane: Int) async throws -> [DrivenInvoice] {
        var driven: [DrivenInvoice] = []
        for (index, number) in numbers.enumerated() {
            driven.append(try await drive(number, firstHost: lane + index))
            progress.add(1, ordering: .releasing)
        }
        return driven
    }

    private func drive(_ number: String, firstHost host: Int) async throws -> DrivenInvoice {
        let id = try await create(number, host: host)
        try await issue(id, number: number, host: host + 1)
        let shareToken = try await share(id, number: number, host: host + 2)
        try await send(id, number: number, host: host + 3)
        try await pay(shareToken, number: number, host: host + 4)
        return DrivenInvoice(number: number, id: id, shareToken: shareToken, sharedThrough: (host + 2) % hosts.count)
    }

    private func create(_ number: String, host: Int) async throws -> Int {
        let json: [String: Any] = [
            "customerId": customerID, "number": number, "currency": "EUR", "issueDate": "2026-12-01", "dueDate": "2026-12-31",
            "lines": [["description": "Work for \(number)", "quantity": 1, "unitPrice": 10_000, "taxRate": 19]],
        ]
        let reply = try await post("/api/invoices", json: json, step: "create", number: number, host: host)
        // Sent again: the first request had created it.
        if reply?.code == "duplicate_number" { return try await draftID(number, host: host) }
        guard let reply, reply.status == 201, let id = reply.json["id"] as? Int else { throw HostFailure("create \(number): \(String(describing: reply))") }
        return id
    }

    /// The id of this customer's draft `number` (its creation committed, the answer was lost).
    private func draftID(_ number: String, host: Int) async throws -> Int {
        let list = try await hosts.expect(200, "GET", "/api/invoices?customerId=\(customerID)&status=draft", host: host)
        guard let id = (list["data"] as? [[String: Any]])?.first(where: { $0["number"] as? String == number })?["id"] as? Int else {
            throw HostFailure("\(number) is neither created nor a draft")
        }
        return id
    }

    private func issue(_ id: Int, number: String, host: Int) async throws {
        let reply = try await post("/api/invoices/\(id)/issue", step: "issue", number: number, host: host)
        // `invalid_status` when sent again: the first request had issued it.
        guard let reply, reply.status == 200 || reply.code == "invalid_status" else { throw HostFailure("issue \(number): \(String(describing: reply))") }
    }

    private func share(_ id: Int, number: String, host: Int) async throws -> String {
        let reply = try await post("/api/invoices/\(id)/share", step: "share", number: number, host: host)
        guard let reply, reply.status == 201 || reply.status == 200, let token = reply.json["shareToken"] as? String else {
            throw HostFailure("share \(number): \(String(describing: reply))")
        }
        return token
    }

    private func send(_ id: Int, number: String, host: Int) async throws {
        let reply = try await post("/api/invoices/\(id)/send", step: "send", number: number, host: host) { try await self.sendEnqueued(id) }
        guard reply == nil || reply?.status == 202 else { throw HostFailure("send \(number): \(String(describing: reply))") }
    }

    /// POSTs `path` under the step's `Idempotency-Key`. A key that a killed host left in flight
    /// is settled by `done` when that says the first request committed (nil), else the request
    /// goes again under a new key.
    private func post(_ path: String, json: [String: Any]? = nil, step: String, number: String, host: Int,
                      done: () async throws -> Bool = { false }) async throws -> APIHosts.Reply? {
        let reply = try await hosts.send("POST", path, json: json, headers: key(step, number), host: host)
        guard reply.code == "idempotency_key_in_use" else { return reply }
        if try await done() { return nil }
        return try await hosts.send("POST", path, json: json, headers: key("\(step)-again", number), host: host)
    }

    /// A checkout on one host, its completed event delivered by the provider to the next host's
    /// webhook (again, signed as it was, to any host while that one is down).
    private func pay(_ shareToken: String, number: String, host: Int) async throws {
        let checkout = try await hosts.expect(200, "POST", "/invoice/\(shareToken)/pay", json: [:], authorized: false, host: host)
        guard let session = (checkout["checkoutUrl"] as? String).flatMap({ URL(string: $0)?.lastPathComponent }) else {
            throw HostFailure("pay \(number): no checkout URL in \(checkout)")
        }
        let webhook = "/webhooks/stripe/\(MultiHostTests.tenant)"
        let delivery = try await fake.complete(session, webhookURL: "http://127.0.0.1:\(hosts.port(host + 1))\(webhook)")
        guard delivery.delivery?.status != 200 else { return }
        _ = try await hosts.expect(200, "POST", webhook, body: Array(delivery.payload.utf8),
                                   headers: ["Stripe-Signature": delivery.signature, "Content-Type": "application/json"],
                                   authorized: false, host: host + 1)
    }

    private func key(_ step: String, _ number: String) -> [String: String] { ["Idempotency-Key": "\(step)-\(number)"] }
}

extension APIHosts {
    /// `expect` with raw body bytes.
    func expect(_ status: Int, _ method: String, _ path: String, body: [UInt8], headers: [String: String],
                authorized: Bool, host: Int) async throws -> [String: Any] {
        let reply = try await send(method, path, body: body, headers: headers, authorized: authorized, host: host)
        guard reply.status == status else { throw HostFailure("\(method) \(path): \(reply.status) \(reply.text.prefix(500))") }
        return reply.json
    }
}
