import BillportCore
import Documents
import Foundation
import Synchronization
import HTTPServer
import Billing
import Queue
import Tokens

/// Billport's HTTP surface: routes built once at start, authentication, one error shape, the
/// public security headers, and one access-log line per request.
public final class BillportAPI: Sendable {
    private let router: Router
    private let stores: BillingStores
    private let signer: JWTSigner
    private let clock: any WallClock
    private let logger: Logger
    private let requestIDs = RequestIDs()
    /// The public routes' buckets per client address and per link token (internal for tests).
    let perIP: RateLimiter
    let perToken: RateLimiter
    private let trustedProxies: Set<String>
    private let idempotency: IdempotencyLayer
    private let metrics: RequestMetrics

    /// Every public page and response carries these.
    static let publicHeaders: [(String, String)] = [
        ("Cache-Control", "no-store"),
        ("X-Robots-Tag", "noindex"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self' https://checkout.stripe.com"),
    ]

    /// `/healthz` answers the same bytes every time; built once.
    private static let healthy = JSONBody.response(["status": "ok"])

    /// `renderer` makes invoice PDFs; without one the PDF routes answer 404. Renders go through
    /// `renderPool` (the process's one pool), or a pool of the API's own when none is given.
    public init(stores: BillingStores, jobs: any JobStore, signer: JWTSigner, configuration: APIConfiguration, renderer: (any InvoiceRenderer)?,
                renderPool: PDFRenderPool? = nil, views: ViewRecorder? = nil, clock: any WallClock = SystemClock(),
                hostResolver: any HostResolver = SystemHostResolver(), logger: Logger) {
        self.stores = stores
        self.signer = signer
        self.clock = clock
        self.logger = logger.labelled("http")
        perIP = RateLimiter(perMinute: configuration.rateLimitPerIP, maxEntries: configuration.rateLimitMaxKeys, clock: clock)
        perToken = RateLimiter(perMinute: configuration.rateLimitPerToken, maxEntries: configuration.rateLimitMaxKeys, clock: clock)
        trustedProxies = configuration.trustedProxies
        idempotency = IdempotencyLayer(store: stores.idempotency, clock: clock, seal: SealingKey(key: signer.derivedKey("idempotency answers")))
        let tracking = ViewTracking(recorder: views, signer: signer, stores: stores, clock: clock, trustedProxies: configuration.trustedProxies)
        let views = PublicAnswerCache<PublicViewAnswer>(database: stores.database, clock: clock)
        let publicView = Route(.get, "/api/invoices/view/{token}", .publicLink) { context in
            let token = context.parameters["token"] ?? ""
            let answer = try await views.value(token) { () async throws -> PublicViewAnswer? in
                guard let hash = SecretToken.hash(ofPresented: token), let view = try await stores.links.publicView(tokenHash: hash) else { return nil }
                return PublicViewAnswer(view)
            }
            guard let answer else { throw APIError.linkNotFound }
            await tracking.note(context.request, tenantID: answer.tenantID, invoiceID: answer.invoiceID, linkID: answer.linkID, source: .api)
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/json; charset=utf-8"], body: answer.json)
        }
        let health = [
            Route(.get, "/healthz", .operations) { _ in Self.healthy },
            Route(.get, "/readyz", .operations) { _ in
                do {
                    try await stores.database.ping()
                    return JSONBody.response(["status": "ready"])
                } catch {
                    return APIError(status: 503, code: "not_ready", message: "the database cannot be read").response
                }
            },
        ]
        let pool = renderPool ?? renderer.map { PDFRenderPool(renderer: $0, logger: logger) }
        let documents = pool.map {
            DocumentRoutes(stores: stores, pdfs: InvoicePDFService(store: stores.documents, pool: $0), signer: signer, clock: clock,
                           tracking: tracking, pages: PublicAnswerCache(database: stores.database, clock: clock))
        }
        let payments = PaymentRoutes(stores: stores, configuration: configuration, clients: CheckoutClients(baseURL: configuration.stripeBaseURL),
                                     pdf: { tenantID, invoiceID in
                                         guard let documents, try await stores.invoices.isBuyerVisible(tenantID: tenantID, invoiceID: invoiceID) else {
                                             throw APIError.linkNotFound
                                         }
                                         return try await documents.pdfResponse(tenantID: tenantID, invoiceID: invoiceID, notFound: .linkNotFound)
                                     }, clock: clock, logger: self.logger)
        router = Router(health + [publicView, OpenAPIDocument.route] + TenantRoutes(stores: stores, configuration: configuration, clock: clock).routes
                        + SettingsRoutes(stores: stores, signer: signer, configuration: configuration, clock: clock, renderPool: pool).routes
                        + PortalRoutes(stores: stores, clock: clock, messageQuota: configuration.messageQuota).routes + CustomerRecordRoutes(stores: stores).routes
                        + CustomerRoutes(stores: stores).routes + PreferenceRoutes(stores: stores).routes
                        + EmailRoutes(stores: stores, jobs: jobs).routes + payments.routes
                        + WebhookRoutes(stores: stores, clock: clock, logger: self.logger).routes
                        + PaymentSettingsRoutes(stores: stores, configuration: configuration).routes
                        + NotificationSettingsRoutes(stores: stores).routes
                        + CompanySettingsRoutes(stores: stores).routes
                        + EInvoiceRoutes(stores: stores, tracking: tracking).routes
                        + WebhookEndpointRoutes(stores: stores, policy: configuration.webhookDestinations,
                                                secretOverlap: configuration.webhookSecretOverlap, resolver: hostResolver, clock: clock).routes
                        + WebhookDeliveryRoutes(stores: stores).routes
                        + (documents?.routes ?? []))
        metrics = RequestMetrics(routes: router.routes)
    }

    /// Every route the API serves, for tests that check rules over all of them.
    var routes: [Route] { router.routes }

    /// The handler to give the HTTP server.
    public var handler: HTTPHandler {
        { request in await self.respond(to: request) }
    }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        let requestID = requestIDs.next()
        var logPath = request.path
        var response: HTTPResponse
        var audience = Audience.operations
        switch router.match(request.method, path: request.path) {
        case .notFound:
            logPath = Self.redacted(request.path)
            response = APIError(status: 404, code: "not_found", message: "no such route").response
        case .methodNotAllowed(let allowed):
            logPath = Self.redacted(request.path)
            response = APIError(status: 405, code: "method_not_allowed", message: "use \(allowed.map(\.rawValue).joined(separator: ", "))").response
            response.headers.set("Allow", allowed.map(\.rawValue).joined(separator: ", "))
        case .found(let route, let parameters):
            audience = route.audience
            logPath = route.pattern
            var context = RequestContext(request: request, parameters: parameters, requestID: requestID)
            do {
                if case .publicLink = route.audience { try limit(request, token: parameters["token"] ?? parameters["publicId"]) }
                if case .tenant(let permission) = route.audience {
                    try await authenticate(&context, permission: permission)
                }
                response = IdempotencyLayer.covers(route) ? try await idempotency.respond(context, route: route) : try await route.handler(context)
            } catch {
                let apiError = APIError.from(error)
                if apiError.status >= 500 {
                    logger.error("request failed", ["id": requestID, "error": "\(error)"])
                }
                response = apiError.response
            }
        }
        // A route that says how its answer may be cached (the OpenAPI document) keeps its word.
        for (name, value) in Self.publicHeaders where name != "Cache-Control" || !response.headers.contains(name) {
            response.headers.add(name, value)
        }
        if case .publicLink = audience {} else { response.headers.add("X-Request-Id", requestID) }
        let elapsed = ContinuousClock.now - started
        if logger.isEnabled(.info) {
            let parts = elapsed.components
            let microseconds = parts.seconds * 1_000_000 + parts.attoseconds / 1_000_000_000_000
            logger.info("request", ["method": request.method.rawValue, "route": logPath, "status": String(response.status),
                                    "us": String(microseconds), "bytes": String(response.body.count), "id": requestID])
        }
        metrics.record(request.method, route: logPath, status: response.status, elapsed: elapsed)
        return response
    }

    /// Public routes: one bucket per client address and one per well-formed link token (a
    /// malformed one gets none, and the link 404); 429 with `Retry-After` when either is empty.
    private func limit(_ request: HTTPRequest, token: String?) throws {
        let address = ViewTracking.clientAddress(request, trustedProxies: trustedProxies)
        let wait = perIP.take(.address(address)) ?? token.flatMap(RateLimitKey.token).flatMap { perToken.take($0) }
        guard let wait else { return }
        let seconds = max(1, Int((Double(wait.milliseconds) / 1000).rounded(.up)))
        throw APIError(status: 429, code: "rate_limited", message: "too many requests; try again in \(seconds) s", retryAfter: seconds)
    }

    /// Bearer JWT → tenant and permissions; 401 without a valid token, 403 without `permission`.
    private func authenticate(_ context: inout RequestContext, permission: Permission?) async throws {
        guard let header = context.request.headers["Authorization"], header.lowercased().hasPrefix("bearer ") else {
            throw APIError.unauthorized
        }
        let claims: APIClaims
        do {
            claims = try signer.verify(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces), now: clock.now())
        } catch {
            logger.notice("token refused", ["id": context.requestID, "reason": error.description])
            throw APIError.unauthorized
        }
        guard claims.scope ?? "api" == "api", let tenant = try await stores.tenants.tenant(slug: claims.tenant) else { throw APIError.unauthorized }
        context.tenant = tenant
        context.permissions = Set(claims.perms)
        if let permission, !context.permissions.contains(permission.rawValue) { throw APIError.forbidden(permission) }
    }

    /// A path for the log: long segments (tokens) replaced, so no credential reaches a log line.
    static func redacted(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.count >= 20 ? "{redacted}" : String($0) }.joined(separator: "/")
    }
}

/// The public JSON view of a shared invoice, encoded once per change.
struct PublicViewAnswer: LinkAnswer {
    let tenantID: Int64, invoiceID: Int64, linkID: Int64, linkExpiresAt: Date?
    let json: [UInt8]

    init(_ view: PublicInvoiceView) {
        tenantID = view.tenantID
        invoiceID = view.invoiceID
        linkID = view.linkID
        linkExpiresAt = view.expiresAt
        var json = JSONWriter()
        json.integer("amountDue", view.amountDue)
        json.string("currency", view.currency)
        json.string("deliveryStatus", view.deliveryStatus)
        json.string("dueDate", view.dueDate)
        json.string("invoiceNumber", view.invoiceNumber)
        json.string("issueDate", view.issueDate)
        json.string("status", view.status)
        json.string("vendorName", view.vendorName)
        self.json = json.finish()
    }
}

/// Request ids: a random per-process prefix and a counter, unique across processes and restarts
/// without a CSPRNG call per request.
final class RequestIDs: Sendable {
    private let prefix = SecureRandom.base64URL(byteCount: 6)
    private let counter = Atomic<UInt64>(0)

    func next() -> String {
        let (value, _) = counter.add(1, ordering: .relaxed)
        return prefix + "-" + String(value, radix: 36)
    }
}
