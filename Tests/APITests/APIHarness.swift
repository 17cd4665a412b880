import API
import BillportCore
import Documents
import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPServer
import Billing
import BillingStore
import Queue
import Scheduler
import Relational
import SQLite
import TestSupport
import Tokens

/// The real API over a temporary database, driven like a real HTTP client: in-process by
/// default (`.direct`, see `DirectClient`), or on a real server on an ephemeral port through
/// URLSession (`.live`) for tests that need the connection itself.
final class APIHarness: Sendable {
    let temp: TestDatabase
    let stores: BillingStores
    let jobs: any SQLJobStore
    let signer = JWTSigner(key: Array(repeating: 42, count: 32))
    /// How `send` reaches the API.
    let transport: APITransport
    private let server: HTTPServer?
    private let listeningPort: Int?
    let base = "https://billing.example.com"
    /// The `.live` server's clients: one follows redirects, the other shows them.
    private let sessions: (following: URLSession, unredirected: URLSession)?
    let clock: any WallClock
    /// The API itself, for tests that look at its routes or its rate limiters.
    let api: BillportAPI

    /// `limits` and the read timeouts apply on `.live` only: on `.direct` no parser runs.
    init(transport: APITransport = .direct, limits: HTTPParserLimits = .init(), renderer: (any InvoiceRenderer)? = StubRenderer(),
         clock: any WallClock = SystemClock(),
         views: ((BillingStores) -> ViewRecorder)? = nil, rateLimits: (perAddress: Int, perToken: Int) = (0, 0),
         stripeBaseURL: String = "https://api.stripe.com", renderPool: RenderPoolSettings = RenderPoolSettings(),
         hostResolver: any HostResolver = SystemHostResolver(), logger: Logger = .disabled,
         backend: TestBackend = .selected, configure: (inout APIConfiguration) -> Void = { _ in }) throws {
        temp = try TestDatabase(migrations: Self.migrations, backend: backend)
        self.clock = clock
        jobs = try JobStores.store(on: temp.database, clock: clock)
        stores = BillingStores.sql(BillingStoreContext(database: temp.database, clock: clock, jobs: jobs))
        var configuration = APIConfiguration(publicBaseURL: base, rateLimitPerIP: rateLimits.perAddress, rateLimitPerToken: rateLimits.perToken,
                                             stripeBaseURL: stripeBaseURL)
        configure(&configuration)
        api = BillportAPI(stores: stores, jobs: jobs, signer: signer, configuration: configuration, renderer: renderer,
                          renderPool: renderer.map { PDFRenderPool(renderer: $0, settings: renderPool, logger: logger) },
                          views: views?(stores), clock: clock, hostResolver: hostResolver, logger: logger)
        self.transport = transport
        if transport == .live {
            var serverConfiguration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
            serverConfiguration.limits = limits
            serverConfiguration.headReadTimeout = .milliseconds(300)
            serverConfiguration.bodyReadTimeout = .milliseconds(300)
            let server = HTTPServer(configuration: serverConfiguration, handler: api.handler)
            listeningPort = try server.start()
            self.server = server
            let sessionConfiguration = URLSessionConfiguration.ephemeral
            sessionConfiguration.timeoutIntervalForRequest = 10
            sessions = (URLSession(configuration: sessionConfiguration),
                        URLSession(configuration: sessionConfiguration, delegate: RefuseRedirects(), delegateQueue: nil))
        } else {
            server = nil
            listeningPort = nil
            sessions = nil
        }
    }

    /// Every module's migrations in both dialects.
    static let migrations = TestMigrations(sqlite: QueueSchema.migrations + SchedulerSchema.migrations + BillingSchema.migrations,
                                           postgres: QueueSchema.postgresMigrations + SchedulerSchema.postgresMigrations + BillingSchema.postgresMigrations)

    /// The database, on whichever backend the run selected.
    var database: any SQLDatabase { temp.database }

    /// The `.live` server's port.
    var port: Int {
        guard let listeningPort else { preconditionFailure("a .direct APIHarness has no port: make it with transport: .live") }
        return listeningPort
    }

    func stop() async {
        await server?.shutdown(gracePeriod: .seconds(1))
    }

    /// A token for `tenant` with `perms`, valid for an hour unless `exp` says otherwise.
    func token(_ tenant: String, perms: [String] = ["invoices:write", "invoices:manage", "settings:manage"], exp: Int64? = nil) -> String {
        let now = Int64(clock.now().timeIntervalSince1970)
        return signer.sign(APIClaims(tenant: tenant, perms: perms, exp: exp ?? now + 3600, nbf: now))
    }

    struct Reply: @unchecked Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }

        init(status: Int, headers: [String: String], body: Data) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        /// What URLSession answered.
        init(data: Data, response: URLResponse) {
            let http = response as! HTTPURLResponse
            var fields: [String: String] = [:]
            for (key, value) in http.allHeaderFields { fields["\(key)"] = "\(value)" }
            self.init(status: http.statusCode, headers: fields, body: data)
        }

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    /// Sends one request; `json` is encoded as the body, `rawBody` sent as is.
    func send(_ method: String, _ path: String, token: String? = nil, json: Any? = nil, rawBody: String? = nil,
              bytes: [UInt8]? = nil, headers: [String: String] = [:], followRedirects: Bool = true) async throws -> Reply {
        let request = try urlRequest(method, path, token: token, json: json, rawBody: rawBody, bytes: bytes, headers: headers)
        return try await deliver(request, followRedirects: followRedirects)
    }

    /// The request `send` makes for these arguments, addressed to this harness's server.
    func urlRequest(_ method: String, _ path: String, token: String? = nil, json: Any? = nil, rawBody: String? = nil,
                    bytes: [UInt8]? = nil, headers: [String: String] = [:]) throws -> URLRequest {
        let origin = listeningPort.map { "http://127.0.0.1:\($0)" } ?? DirectClient.origin
        var request = URLRequest(url: URL(string: origin + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let rawBody {
            request.httpBody = Data(rawBody.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let bytes { request.httpBody = Data(bytes) }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return request
    }

    /// Sends `request` through `transport` (this harness's unless given: a `.live` harness can
    /// also call its handler directly, so tests can compare the two).
    func deliver(_ request: URLRequest, followRedirects: Bool, via transport: APITransport? = nil) async throws -> Reply {
        guard (transport ?? self.transport) == .live else {
            return try await DirectClient(handler: api.handler).send(request, followRedirects: followRedirects)
        }
        guard let sessions else { preconditionFailure("a .direct APIHarness has no server: make it with transport: .live") }
        let (data, response) = try await (followRedirects ? sessions.following : sessions.unredirected).data(for: request)
        return Reply(data: data, response: response)
    }

    // MARK: Fixtures

    struct Tenant: Sendable {
        let slug: String
        let token: String
        let customerID: Int64
    }

    /// A tenant with one customer and a full-permission token.
    func tenant(_ slug: String) async throws -> Tenant {
        let tenant = try await stores.tenants.createTenant(slug: slug, name: "\(slug.capitalized) GmbH")
        let customer = try await stores.customers.createCustomer(tenantID: tenant.id, name: "Zoë Buyer", email: "zoe@\(slug).example", preferences: .init())
        return Tenant(slug: slug, token: token(slug), customerID: customer.id)
    }

    func invoiceJSON(customer: Int64, number: String = "INV-1", type: String = "AR", currency: String = "EUR", dueDate: String = "2026-12-01",
                     lines: [[String: Any]] = [["description": "Consulting", "quantity": 12, "unitPrice": 9500, "taxRate": 19]]) -> [String: Any] {
        ["customerId": customer, "type": type, "number": number, "currency": currency, "issueDate": "2026-11-01",
         "dueDate": dueDate, "lines": lines]
    }

    /// Creates (and by default issues) an invoice; returns its id.
    func invoice(_ tenant: Tenant, number: String = "INV-1", type: String = "AR", issue: Bool = true) async throws -> Int64 {
        let created = try await send("POST", "/api/invoices", token: tenant.token, json: invoiceJSON(customer: tenant.customerID, number: number, type: type))
        guard created.status == 201, let id = created.json["id"] as? Int else { throw HarnessFailure("create: \(created.status) \(created.text)") }
        if issue {
            let issued = try await send("POST", "/api/invoices/\(id)/issue", token: tenant.token)
            guard issued.status == 200 else { throw HarnessFailure("issue: \(issued.status) \(issued.text)") }
        }
        return Int64(id)
    }
}

/// Answers every redirect with "don't", so a test sees the 303 itself.
final class RefuseRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Renders a recognisable stand-in (the real PDFs are checked in DocumentsTests) and counts calls.
final class StubRenderer: InvoiceRenderer {
    private let calls = Mutex(0)
    var renders: Int { calls.withLock { $0 } }

    func render(_ sheet: InvoiceSheet) throws -> [UInt8] {
        calls.withLock { $0 += 1 }
        if sheet.invoice.notes == "break the renderer" { throw RenderFailure("the logo is not an image") }
        return Array("%PDF-stub \(sheet.invoice.number) paid=\(sheet.invoice.amountPaid)".utf8)
    }
}
