import BillportCore
import Foundation

// The billing domain's persistence, one protocol per aggregate, so that the API, the jobs and
// the documents depend on what is stored, not on how: SQLite implements every one of them
// (module BillingStore), and a second backend can stand beside it. Every method is scoped by
// tenant unless it resolves a buyer's token, which names its tenant itself.

/// Tenants, their branding and their customer-portal settings.
public protocol TenantStore: Sendable {
    /// Creates a tenant; a taken slug is a conflict.
    func createTenant(slug: String, name: String) async throws -> Tenant

    /// The tenant with `slug`.
    func tenant(slug: String) async throws -> Tenant?

    /// The tenant with `id`.
    func tenant(id: Int64) async throws -> Tenant?

    /// What the tenant decided about its customer portal (defaults until it decides).
    func portalSettings(tenantID: Int64) async throws -> CustomerPortalSettings

    /// Replaces the portal settings after `CustomerPortalSettings.validate()`; 422 naming the field.
    func updatePortalSettings(tenantID: Int64, _ settings: CustomerPortalSettings) async throws -> CustomerPortalSettings

    /// The tenant's notification settings (none until it decides).
    func notificationSettings(tenantID: Int64) async throws -> TenantNotificationSettings

    /// Replaces the notification settings (the caller validated them).
    func updateNotificationSettings(tenantID: Int64, _ settings: TenantNotificationSettings) async throws -> TenantNotificationSettings

    /// The tenant's branding.
    func branding(tenantID: Int64) async throws -> Branding

    /// Replaces the tenant's colour, paper and payment instructions (the logo has its own call).
    func updateBranding(tenantID: Int64, brandColor: String?, pageSize: Branding.PageSize, paymentInstructions: String?) async throws -> Branding

    /// Sets (or with nil removes) the logo: PNG or JPEG, at most 1 MiB.
    func updateLogo(tenantID: Int64, logo: [UInt8]?) async throws

    /// The seller's legal identity for invoices (empty until the tenant fills it in).
    func companyProfile(tenantID: Int64) async throws -> CompanyProfile

    /// Replaces the company profile with what `change` makes of it as stored, inside the write.
    func updateCompanyProfile(tenantID: Int64, _ change: @escaping @Sendable (CompanyProfile) throws -> CompanyProfile) async throws -> CompanyProfile
}

/// A tenant's customers and their email preferences, also as reached by an unsubscribe token.
public protocol CustomerStore: Sendable {
    /// Creates a customer of `tenantID`; the name and email must pass `CustomerName` and
    /// `EmailAddress` (422 naming the field otherwise).
    func createCustomer(tenantID: Int64, name: String, email: String, preferences: Customer.Preferences, details: BuyerDetails) async throws -> Customer

    /// The customer `id` of `tenantID`.
    func customer(tenantID: Int64, id: Int64) async throws -> Customer?

    /// Stores the hash of the customer's (derived) unsubscribe token so that its links resolve.
    func registerUnsubscribeToken(tenantID: Int64, customerID: Int64, hash: [UInt8]) async throws

    /// The customer an unsubscribe token belongs to, with the tenant's name for the page.
    func customer(unsubscribeHash hash: [UInt8]) async throws -> (tenantName: String, tenantID: Int64, customer: Customer)?

    /// Replaces the customer's email preferences (from the preference page or the tenant).
    func setPreferences(tenantID: Int64, customerID: Int64, _ preferences: Customer.Preferences) async throws -> Customer

    /// The tenant's customers newest first, ids below `beforeID` when given; with `search`, only
    /// those it matches, examining at most `CustomerSearch.scanLimit` customers (see there).
    func customers(tenantID: Int64, search: CustomerSearch?, limit: Int, beforeID: Int64?) async throws -> CustomerPage

    /// Applies `change` to the customer as stored, inside the write.
    func updateCustomer(tenantID: Int64, id: Int64, _ change: CustomerChange) async throws -> Customer

    /// Deletes a customer with nothing to keep: a conflict while it has invoices or sales orders.
    /// Its portal tokens, messages and email log go with it.
    func deleteCustomer(tenantID: Int64, id: Int64) async throws

    /// Erases the customer's personal data and keeps its accounting records (`CustomerErasure`):
    /// name and email replaced, every preference off, portal tokens and every public link to its
    /// invoices revoked (email links lose their recipient), its invoices' view addresses and user
    /// agents blanked, its messages' text and its email log's recipients replaced. Erasing
    /// again changes nothing.
    func eraseCustomer(tenantID: Int64, id: Int64) async throws -> Customer
}

/// Answers kept under an `Idempotency-Key`, per tenant and route (`IdempotencyRule`).
public protocol IdempotencyStore: Sendable {
    /// Claims `key` for a request with `fingerprint`, or says why not; deletes a batch of
    /// expired keys on the way.
    func claim(tenantID: Int64, scope: String, key: String, fingerprint: [UInt8], now: Date) async throws -> IdempotencyClaim

    /// Stores the answer of a claimed key.
    func store(tenantID: Int64, scope: String, key: String, answer: StoredAnswer) async throws

    /// Frees a key, forgetting any answer: a request that failed on the server's side, or an
    /// answer that can no longer be read.
    func release(tenantID: Int64, scope: String, key: String) async throws
}

/// Invoices with their lines, their lifecycle (draft, issued, cancelled), delivery status and credit notes.
public protocol InvoiceStore: Sendable {
    /// Stores a validated draft for `tenantID`; its customer must be the tenant's, its number unused.
    func createInvoice(tenantID: Int64, draft: InvoiceDraft) async throws -> Invoice

    /// Replaces a draft's content with what `change` makes of the draft as stored, inside the
    /// write, so that two partial updates never undo each other. Once issued, an invoice's lines
    /// and amounts can no longer change: that is a conflict.
    func updateDraft(tenantID: Int64, id: Int64, change: @escaping @Sendable (Invoice) throws -> InvoiceDraft) async throws -> Invoice

    /// The invoice `id` of `tenantID`, with its lines.
    func invoice(tenantID: Int64, id: Int64) async throws -> Invoice?

    /// The tenant's invoices matching `filter`, newest first, ids below `beforeID` when given.
    func invoices(tenantID: Int64, filter: InvoiceListFilter, limit: Int, beforeID: Int64?) async throws -> [Invoice]

    /// Draft → issued. An issued invoice's lines and amounts can no longer change.
    func issue(tenantID: Int64, id: Int64) async throws -> Invoice

    /// Draft or issued → cancelled; every public link to it stops at once.
    func cancel(tenantID: Int64, id: Int64) async throws -> Invoice

    /// One page of a customer's portal: at most `limit` invoices its buyer may see
    /// (`BuyerVisibility`), newest first, without lines, strictly scoped to that customer. With
    /// `before` (a public id of the same list) the page starts below that invoice, so pages stay
    /// put while new invoices arrive; `offset` skips that many more. Nil when `before` is not an
    /// invoice of this list. Costs the page (plus `offset` index entries), never the history.
    func portalInvoicePage(tenantID: Int64, customerID: Int64, limit: Int, offset: Int, before: String?) async throws -> InvoicePage?

    /// The customer's balances per currency on `today`, as `CustomerBalance.of` computes them over
    /// every invoice its buyer may see, from what is owed per currency and due date (kept as
    /// invoices change), so the cost follows the distinct due dates, not the invoices.
    /// `MoneyOverflow` naming the currency when a sum exceeds Int64.
    func customerBalances(tenantID: Int64, customerID: Int64, today: CalendarDate) async throws -> [CustomerBalance]

    /// The credit notes on invoices the customer's buyer may see, newest first, at most `limit`.
    func portalCreditNotes(tenantID: Int64, customerID: Int64, limit: Int) async throws -> [PortalCreditNote]

    /// A credit note the customer's buyer may see, by its public id, with the invoice it corrects.
    func portalCreditNote(tenantID: Int64, customerID: Int64, publicID: String) async throws -> (note: CreditNote, invoice: Invoice)?

    /// Issues the credit note `draft` makes of the invoice as stored, against an issued or paid
    /// invoice. The credited sum can never exceed the invoice total.
    func createCreditNote(tenantID: Int64, invoiceID: Int64, draft: @escaping @Sendable (Invoice) throws -> CreditNoteDraft) async throws -> CreditNote

    /// Credit note `id` of the tenant with the invoice it corrects.
    func creditNote(tenantID: Int64, id: Int64) async throws -> (note: CreditNote, invoice: Invoice)?

    /// The credit notes of one invoice, oldest first.
    func creditNotes(tenantID: Int64, invoiceID: Int64) async throws -> [CreditNote]

    /// Records how the invoice reached its buyer when that happened outside Billport (post, the
    /// tenant's own mail); Billport's own sending sets it itself.
    func setDeliveryStatus(tenantID: Int64, invoiceID: Int64, status: DeliveryStatus) async throws -> Invoice

    /// Whether the buyer of the tenant's invoice may see it (`BuyerVisibility`).
    func isBuyerVisible(tenantID: Int64, invoiceID: Int64) async throws -> Bool
}

/// The no-login links: share and email links to one invoice, portal tokens to one customer, and the buyer-side look-ups through them.
public protocol LinkStore: Sendable {
    /// The invoice a live share or email link points to (the same rule as the public view),
    /// with the link's id and whether it was emailed.
    func linkedInvoice(tokenHash: [UInt8]) async throws -> (tenantID: Int64, invoiceID: Int64, linkID: Int64, emailed: Bool, expiresAt: Date?)?

    /// The invoice with `publicID` if it belongs to this tenant's customer and its buyer may see it.
    func customerInvoice(tenantSlug: String, customerID: Int64, publicID: String) async throws -> (tenantID: Int64, invoiceID: Int64)?

    /// Shares an issued AR invoice (`BuyerVisibility`; anything else is a 409). With an active link and no `regenerate`, answers
    /// `alreadyShared` with the original time and no token; with `regenerate`, the old link dies
    /// in the same transaction as the new one is made.
    func share(tenantID: Int64, invoiceID: Int64, regenerate: Bool) async throws -> ShareResult

    /// A link of kind `email` for one recipient of one message: its opens count as source
    /// `email`. Stopped, like share links, by revoking the invoice's links.
    func createEmailLink(tenantID: Int64, invoiceID: Int64, recipient: String) async throws -> String

    /// Revokes every public link to the invoice (share and emailed links) at once.
    func revokeLinks(tenantID: Int64, invoiceID: Int64) async throws

    /// The buyer's view of the invoice a live share or email link points to; nil for an unknown,
    /// revoked or expired token alike, so that none can be told from another.
    func publicView(tokenHash: [UInt8]) async throws -> PublicInvoiceView?

    /// A new portal token for the customer; it expires after the tenant's `portal_token_days`.
    /// With `revokeExisting` the customer's other portal tokens stop at once; without, each
    /// stays valid until its own expiry.
    func createPortalToken(tenantID: Int64, customerID: Int64, revokeExisting: Bool) async throws -> PortalToken

    /// Revokes the customer's portal token at once.
    func revokePortalToken(tenantID: Int64, customerID: Int64) async throws

    /// Marks portal tokens whose expiry has passed (the `links.expire` job), so the tenant's
    /// token list shows them as expired; the portal itself answers "access denied" for them
    /// either way. Returns how many it marked.
    @discardableResult
    func markExpiredPortalTokens() async throws -> Int

    /// The tenant's portal tokens, newest first (never the tokens themselves).
    func portalTokens(tenantID: Int64, limit: Int) async throws -> [PortalToken]

    /// The customer a portal token belongs to, with its tenant and the token's link id; nil for
    /// unknown or revoked tokens. `expired` tells the portal page to say "access denied" rather
    /// than "not found".
    func portalCustomer(tokenHash: [UInt8]) async throws -> PortalAccess?

    /// The same for the portal token with link id `linkID` (what a media token names).
    func portalCustomer(linkID: Int64) async throws -> PortalAccess?
}

/// What an invoice document is made of, and the rendered-PDF cache keyed by content hash.
public protocol DocumentStore: Sendable {
    /// The tenant, branding, customer and invoice behind one invoice's documents.
    func documentParts(tenantID: Int64, invoiceID: Int64) async throws -> DocumentParts?

    /// A cached PDF for the invoice with this content hash.
    func cachedPDF(invoiceID: Int64, contentHash: String) async throws -> [UInt8]?

    /// Stores a rendered PDF, dropping the invoice's older renders.
    func storePDF(invoiceID: Int64, contentHash: String, pdf: [UInt8]) async throws
}

/// Email sending: the `email.send` jobs invoices, portal messages and reminders cause, and the log of every message.
public protocol EmailStore: Sendable {
    /// Enqueues a message to a customer about their account: the portal link (a new portal
    /// token is made when the job runs; the customer's other portal tokens are revoked then only
    /// with `revokeExisting`), or the tenant's marketing text. The job id.
    func enqueueCustomerEmail(tenantID: Int64, customerID: Int64, category: EmailCategory, subject: String?,
                                     message: String?, revokeExisting: Bool) async throws -> Int64

    /// Enqueues sending an issued invoice to its customer (or `recipients`); the job id.
    func enqueueInvoiceEmail(tenantID: Int64, invoiceID: Int64, recipients: [String]?, message: String?) async throws -> Int64

    /// Starts (or finds) the log line for one message to one recipient. `key` is stable across
    /// retries of the same job, so a retry sees what the first attempt did.
    func beginEmail(key: String, tenantID: Int64, invoiceID: Int64?, customerID: Int64, category: EmailCategory,
                           recipient: String) async throws -> EmailLogEntry

    /// Records the outcome; a sent document also marks the invoice's delivery as sent.
    func finishEmail(id: Int64, status: EmailStatus, detail: String?, messageID: String?) async throws

    /// An invoice's email log, newest first.
    func emailLog(tenantID: Int64, invoiceID: Int64) async throws -> [EmailLogEntry]

    /// A customer's email log (every category), newest first.
    func emailLog(tenantID: Int64, customerID: Int64) async throws -> [EmailLogEntry]

    /// Enqueues today's overdue reminders: for each issued invoice with an amount due, at most
    /// one `email.send` for the latest offset reached and not yet sent (`ReminderRule`). The
    /// offset is recorded with the job in one transaction, so a double run or a restart never
    /// sends twice. Returns how many were enqueued.
    func enqueueOverdueReminders(offsets: [Int]) async throws -> Int
}

/// Online payments: the tenant's provider settings, checkout sessions, provider events and the per-invoice ledger they feed.
public protocol PaymentStore: Sendable {
    /// The tenant's plan and provider keys.
    func paymentSettings(tenantID: Int64) async throws -> PaymentSettings

    /// The tenant with `slug` and its payment settings, for a webhook delivery.
    func paymentSettings(tenantSlug: String) async throws -> (tenantID: Int64, settings: PaymentSettings)?

    /// Replaces the tenant's payment settings (the caller validated the keys' shapes).
    func updatePaymentSettings(tenantID: Int64, _ settings: PaymentSettings) async throws -> PaymentSettings

    /// Remembers a checkout session opened for an invoice (for the confirmation page and the
    /// paid-guest PDF).
    func recordCheckoutSession(tenantID: Int64, invoiceID: Int64, sessionID: String, amount: Int64, currency: String,
                                      expiresAt: Date) async throws

    /// The checkout session `sessionID` Billport opened, nil for any other. The buyer's page has
    /// no tenant to scope by, so an id two tenants recorded answers nil rather than either one;
    /// the payment state is read from the same tenant's ledger only.
    func checkoutSession(_ sessionID: String) async throws -> CheckoutRecord?

    /// The invoice's checkouts still open at the provider as far as Billport knows, oldest
    /// first, other than `except` (the one just opened).
    func openCheckoutSessions(tenantID: Int64, invoiceID: Int64, except: String) async throws -> [String]

    /// Records that the provider no longer accepts payment on checkout `sessionID`: expired by
    /// Billport, or found complete when Billport tried to expire it.
    func closeCheckoutSession(tenantID: Int64, sessionID: String, completed: Bool) async throws

    /// Stores a verified event and enqueues its `payment.event` job in the same transaction;
    /// false (and nothing written) when the event id was stored before.
    func receiveProviderEvent(tenantID: Int64, eventID: String, type: String, payload: [UInt8]) async throws -> Bool

    /// The stored event `rowID`.
    func providerEvent(rowID: Int64) async throws -> StoredProviderEvent?

    /// Marks an event done without touching any invoice (a type Billport ignores, an event
    /// about another system's checkout).
    func settleProviderEvent(rowID: Int64, outcome: String) async throws

    /// Applies `change` to the invoice `invoicePublicID` and marks the event applied, in one
    /// transaction: a crash before the commit leaves nothing, so the retried job applies it
    /// once. `beforeCommit` runs inside the transaction (tests use it to crash there).
    func applyLedgerChange(eventRowID: Int64, invoicePublicID: String, _ change: LedgerChange,
                                  beforeCommit: (@Sendable () -> Void)?) async throws -> EventOutcome

    /// The invoice's payments, oldest first.
    func payments(tenantID: Int64, invoiceID: Int64) async throws -> [PaymentRecord]

    /// Money on its way to the invoice: checkouts completed with a delayed method (a bank debit)
    /// whose payment is not confirmed yet.
    func pendingPayments(tenantID: Int64, invoiceID: Int64) async throws -> Int64

    /// The invoice's payment history: every change an event made, oldest first.
    func paymentAudit(tenantID: Int64, invoiceID: Int64) async throws -> [PaymentAuditEntry]
}

/// Sales orders shown in the portal, and the messages customers write from it.
public protocol SalesOrderStore: Sendable {
    func createSalesOrder(tenantID: Int64, _ draft: SalesOrderDraft) async throws -> SalesOrder

    func setSalesOrderStatus(tenantID: Int64, id: Int64, status: SalesOrderStatus) async throws -> SalesOrder

    func salesOrder(tenantID: Int64, id: Int64) async throws -> SalesOrder?

    /// One customer's sales orders, newest first (at most 100: the portal shows recent ones).
    func salesOrders(tenantID: Int64, customerID: Int64) async throws -> [SalesOrder]

    /// The tenant's sales orders (one customer's when `customerID` is given), newest first,
    /// ids below `beforeID` when given.
    func salesOrders(tenantID: Int64, customerID: Int64?, limit: Int, beforeID: Int64?) async throws -> [SalesOrder]

    /// Stores a portal message; refused unless the tenant allows messages, and with
    /// `MessageQuotaExceeded` once the customer left `quota.perDay` in the last 24 hours.
    func addCustomerMessage(tenantID: Int64, customerID: Int64, text: String,
                                   quota: MessageQuota) async throws -> CustomerMessage

    /// The tenant's inbox, newest first; `unreadOnly` hides what was marked read.
    func customerMessages(tenantID: Int64, unreadOnly: Bool, limit: Int) async throws -> [CustomerMessage]

    /// Marks a message read (once: the first time stays).
    func markMessageRead(tenantID: Int64, id: Int64) async throws
}

/// Views of invoices: raw opens, their aggregation into per-invoice stats, and their retention.
public protocol ViewStore: Sendable {
    /// Stores opens in one transaction; a view already stored (same key) is skipped.
    func insertViews(_ views: [ViewRecord]) async throws

    /// Folds unprocessed views into `view_stats`, oldest first. A view counts unless the same IP
    /// opened the same link of the same invoice within `window` before it (a refresh); the
    /// first view time is set once and never overwritten. The stats grow by each view as it is
    /// folded in, never recounted from the raw rows, so that pruning those rows (`pruneViews`)
    /// keeps them; an address counts as new unless a counted view of the invoice still holds
    /// it. Costs what the batch costs, whatever the history. Returns how many views it processed.
    @discardableResult
    func aggregateViews(window: Duration, batch: Int) async throws -> Int

    /// Applies `retention` to views already folded into the stats: deletes the old raw rows and
    /// blanks the addresses of younger ones, and forgets an invoice's address once no raw view
    /// holds it, `batch` rows per transaction so that pruning never holds the write lock for long.
    @discardableResult
    func pruneViews(retention: ViewRetention, batch: Int) async throws -> ViewPruning

    /// The invoice's stats (zero when never opened).
    func viewStats(tenantID: Int64, invoiceID: Int64) async throws -> ViewStats

    /// The raw log for one of the tenant's invoices, newest first.
    func views(tenantID: Int64, invoiceID: Int64, limit: Int) async throws -> [(record: ViewRecord, counted: Bool)]
}

extension PaymentStore {
    /// Applies `change` (see the requirement) without a hook inside the transaction.
    public func applyLedgerChange(eventRowID: Int64, invoicePublicID: String, _ change: LedgerChange) async throws -> EventOutcome {
        try await applyLedgerChange(eventRowID: eventRowID, invoicePublicID: invoicePublicID, change, beforeCommit: nil)
    }
}

extension InvoiceStore {
    /// The tenant's invoices, unfiltered.
    public func invoices(tenantID: Int64, limit: Int, beforeID: Int64?) async throws -> [Invoice] {
        try await invoices(tenantID: tenantID, filter: InvoiceListFilter(), limit: limit, beforeID: beforeID)
    }
}

extension LinkStore {
    /// The customer's one portal token: a new one that replaces the others (the tenant's
    /// explicit `POST /api/customers/{id}/portal-token`, the demo).
    public func createPortalToken(tenantID: Int64, customerID: Int64) async throws -> PortalToken {
        try await createPortalToken(tenantID: tenantID, customerID: customerID, revokeExisting: true)
    }
}

extension EmailStore {
    /// The same, keeping the customer's other portal links.
    public func enqueueCustomerEmail(tenantID: Int64, customerID: Int64, category: EmailCategory, subject: String?,
                                     message: String?) async throws -> Int64 {
        try await enqueueCustomerEmail(tenantID: tenantID, customerID: customerID, category: category, subject: subject, message: message,
                                       revokeExisting: false)
    }
}

extension SalesOrderStore {
    /// Stores a customer's message under the default quota.
    public func addCustomerMessage(tenantID: Int64, customerID: Int64, text: String) async throws -> CustomerMessage {
        try await addCustomerMessage(tenantID: tenantID, customerID: customerID, text: text, quota: MessageQuota())
    }
}

extension ViewStore {
    /// Aggregates one batch of at most 5,000 views.
    @discardableResult
    public func aggregateViews(window: Duration) async throws -> Int {
        try await aggregateViews(window: window, batch: 5000)
    }

    /// Prunes in batches of 2,000 rows.
    @discardableResult
    public func pruneViews(retention: ViewRetention) async throws -> ViewPruning {
        try await pruneViews(retention: retention, batch: 2000)
    }
}

/// A tenant's webhook endpoints and their signing secrets (`whsec_…`, stored as given).
public protocol WebhookEndpointStore: WebhookDeliveryStore {
    /// Stores an endpoint with `secret`; its destination was checked by the caller. More than
    /// `WebhookEndpointFields.maxEndpointsPerTenant` is a conflict.
    func createWebhookEndpoint(tenantID: Int64, _ fields: WebhookEndpointFields, secret: String) async throws -> WebhookEndpoint

    /// The tenant's endpoints, oldest first.
    func webhookEndpoints(tenantID: Int64) async throws -> [WebhookEndpoint]

    func webhookEndpoint(tenantID: Int64, id: Int64) async throws -> WebhookEndpoint?

    /// Changes the fields that are set and leaves the others.
    func updateWebhookEndpoint(tenantID: Int64, id: Int64, _ fields: WebhookEndpointFields) async throws -> WebhookEndpoint

    func deleteWebhookEndpoint(tenantID: Int64, id: Int64) async throws

    /// Makes `secret` the signing secret; the one it replaces keeps signing for `overlap`.
    func rotateWebhookSecret(tenantID: Int64, id: Int64, secret: String, overlap: Duration) async throws -> WebhookEndpoint

    /// The secrets that sign a delivery now: the current one first, then the previous one while
    /// its overlap lasts.
    func signingSecrets(tenantID: Int64, id: Int64) async throws -> [String]
}

extension CustomerStore {
    /// A customer without address, VAT id or reference.
    public func createCustomer(tenantID: Int64, name: String, email: String, preferences: Customer.Preferences) async throws -> Customer {
        try await createCustomer(tenantID: tenantID, name: name, email: email, preferences: preferences, details: BuyerDetails())
    }
}

/// What one invoice's documents (PDF, page, e-invoice) are made of.
public struct DocumentParts: Sendable {
    public let vendorName: String
    public let branding: Branding
    public let customer: Customer
    public let invoice: Invoice
    /// The tenant's company profile now (an issued invoice prints `invoice.parties` instead).
    public let company: CompanyProfile

    public init(vendorName: String, branding: Branding, customer: Customer, invoice: Invoice, company: CompanyProfile) {
        self.vendorName = vendorName
        self.branding = branding
        self.customer = customer
        self.invoice = invoice
        self.company = company
    }

    /// Seller and buyer as the documents show them: as issued, or for a draft as they are now.
    public var parties: InvoiceParties {
        invoice.parties ?? InvoiceParties(company: company, tenantName: vendorName, customer: customer)
    }
}
