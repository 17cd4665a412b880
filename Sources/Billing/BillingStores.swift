/// Every billing store of one database, handed as one value to the API, the jobs and the
/// commands. Each is reached through its protocol, so another backend can fill this in.
public struct BillingStores: Sendable {
    public let tenants: any TenantStore
    public let customers: any CustomerStore
    public let invoices: any InvoiceStore
    public let links: any LinkStore
    public let documents: any DocumentStore
    public let emails: any EmailStore
    public let payments: any PaymentStore
    public let salesOrders: any SalesOrderStore
    public let views: any ViewStore
    public let webhookEndpoints: any WebhookEndpointStore
    public let idempotency: any IdempotencyStore
    /// The database itself, for what concerns it as a whole (health checks, answer caches).
    public let database: any BillingDatabase

    public init(tenants: any TenantStore, customers: any CustomerStore, invoices: any InvoiceStore, links: any LinkStore,
                documents: any DocumentStore, emails: any EmailStore, payments: any PaymentStore, salesOrders: any SalesOrderStore,
                views: any ViewStore, webhookEndpoints: any WebhookEndpointStore, idempotency: any IdempotencyStore,
                database: any BillingDatabase) {
        self.tenants = tenants
        self.customers = customers
        self.invoices = invoices
        self.links = links
        self.documents = documents
        self.emails = emails
        self.payments = payments
        self.salesOrders = salesOrders
        self.views = views
        self.webhookEndpoints = webhookEndpoints
        self.idempotency = idempotency
        self.database = database
    }
}

/// The database behind the stores, as a whole.
public protocol BillingDatabase: Sendable {
    /// Succeeds when the database answers a trivial read (readiness checks).
    func ping() async throws
    /// How many write transactions this process has committed: an answer cached while it is
    /// unchanged cannot be stale through a write of this process.
    var commitCount: UInt64 { get }
}
