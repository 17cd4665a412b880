import BillportCore
import Documents
import Foundation
import HTTPServer
import Payments
import Billing
import Tokens

/// The buyer's side of online payment: "Pay now" (from a link or the portal) opens the
/// provider's hosted checkout; the provider sends the buyer back to a confirmation page; a
/// guest who just paid may download the invoice with the checkout's id for a day.
///
/// The redirect never marks anything paid: only a verified webhook event does (`WebhookRoutes`).
struct PaymentRoutes {
    let stores: BillingStores
    let configuration: APIConfiguration
    let clients: CheckoutClients
    let pdf: @Sendable (_ tenantID: Int64, _ invoiceID: Int64) async throws -> HTTPResponse
    let clock: any WallClock
    let logger: Logger

    /// How long after paying a guest may fetch the PDF with the checkout session id.
    static let guestPDFWindow: TimeInterval = 24 * 3600

    var routes: [Route] {
        [
            Route(.post, "/invoice/{token}/pay", .publicLink) { context in
                try await pay(context) {
                    guard let hash = SecretToken.hash(ofPresented: context.parameters["token"] ?? ""),
                          let link = try await stores.links.linkedInvoice(tokenHash: hash) else { throw APIError.linkNotFound }
                    return (link.tenantID, link.invoiceID, "/invoice/\(context.parameters["token"] ?? "")")
                }
            },
            Route(.post, "/portal/{token}/invoices/{publicId}/pay", .publicLink) { context in
                try await pay(context) {
                    let session = try await PortalGate(stores: stores).open(context.parameters["token"])
                    let publicID = context.parameters["publicId"] ?? ""
                    guard let invoice = try await stores.links.customerInvoice(tenantSlug: session.tenant.slug, customerID: session.customer.id,
                                                                        publicID: publicID) else { throw APIError.linkNotFound }
                    return (invoice.tenantID, invoice.invoiceID, "/portal/\(context.parameters["token"] ?? "")/invoices/\(publicID)")
                }
            },
            Route(.get, "/pay/complete", .publicLink) { context in
                // Only a checkout Billport opened gets "thank you": any other id is a bad link.
                let id = context.request.queryValue("session_id") ?? ""
                guard CheckoutSession.isWellFormedID(id), let record = try await stores.payments.checkoutSession(id) else {
                    return HTMLBody.response(status: 404, InvoicePage.notFound)
                }
                return HTMLBody.response(PaymentPage.confirmation(record, sessionID: id))
            },
            Route(.get, "/api/public/billing/invoices/{publicId}/pdfByToken", .publicLink) { context in
                try await guestPDF(context)
            },
        ]
    }

    /// Where the invoice is and where "back" goes, resolved from the route's token.
    typealias Target = (tenantID: Int64, invoiceID: Int64, backPath: String)

    /// Validates, opens a checkout session, and answers 303 to it (JSON for API callers).
    private func pay(_ context: RequestContext, target: () async throws -> Target) async throws -> HTTPResponse {
        let request = context.request
        let jsonBody = (request.headers["Content-Type"] ?? "").lowercased().contains("json")
        let wantsJSON = jsonBody || (request.headers["Accept"] ?? "").contains("application/json")
        do {
            let (tenantID, invoiceID, backPath) = try await target()
            guard let invoice = try await stores.invoices.invoice(tenantID: tenantID, id: invoiceID),
                  let tenant = try await stores.tenants.tenant(id: tenantID),
                  let customer = try await stores.customers.customer(tenantID: tenantID, id: invoice.customerID) else { throw APIError.linkNotFound }
            let settings = try await stores.payments.paymentSettings(tenantID: tenantID)
            guard settings.acceptsOnlinePayments, let key = settings.secretKey else {
                throw APIError(status: 409, code: "payments_unavailable", message: "\(tenant.name) does not take online payments")
            }
            let requested = try Self.requestedAmount(request, json: jsonBody, currency: invoice.currency)
            let amount: Int64
            let pending = try await stores.payments.pendingPayments(tenantID: tenantID, invoiceID: invoiceID)
            switch PaymentAmountRule.amount(requested: requested, invoice: invoice, pending: pending,
                                            providerMinimum: StripeMinimumCharge.minorUnits(currency: invoice.currency.code)) {
            case .success(let value): amount = value
            case .failure(.notPayable(let message)): throw APIError(status: 409, code: "invoice_not_payable", message: message)
            case .failure(.invalidAmount(let message)): throw APIError(status: 422, code: "invalid_field", message: message, field: "amount")
            }
            let session = try await openCheckout(key: key, tenant: tenant, invoice: invoice, email: customer.email, amount: amount,
                                                 backPath: backPath)
            if wantsJSON {
                struct Body: Encodable { let checkoutUrl: String; let amount: Int64; let currency: String }
                return JSONBody.response(Body(checkoutUrl: session, amount: amount, currency: invoice.currency.code))
            }
            return HTTPResponse(status: 303, headers: ["Location": session])
        } catch let error as APIError where !wantsJSON {
            return HTMLBody.response(status: error.status, error.status == 404 ? InvoicePage.notFound : PaymentPage.refusal(error.message))
        }
    }

    /// The amount asked for: JSON `{"amount": minor units}` or a form's `amount` in major units
    /// (`50.00`); nil (the whole amount due) when absent or empty.
    static func requestedAmount(_ request: HTTPRequest, json: Bool, currency: Currency) throws -> Int64? {
        let invalid = APIError(status: 422, code: "invalid_field", message: "amount must be an amount in \(currency.code) like 50.00",
                               field: "amount")
        if json {
            guard !request.body.isEmpty else { return nil }
            struct Body: Decodable, KnownKeys {
                let amount: Int64?
                enum CodingKeys: String, CodingKey, CaseIterable { case amount }
                init(from decoder: any Decoder) throws {
                    amount = try decoder.container(keyedBy: CodingKeys.self).decodeMinorUnitsIfPresent(forKey: .amount)
                }
            }
            return try JSONBody.decode(Body.self, from: request).amount
        }
        guard let text = request.formValue("amount"), !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let amount = Money.minorUnits(parsing: text, currency: currency) else { throw invalid }
        return amount
    }

    /// Creates the provider's checkout session and remembers it; its URL.
    private func openCheckout(key: String, tenant: Tenant, invoice: Invoice, email: String, amount: Int64,
                              backPath: String) async throws -> String {
        let base = configuration.publicBaseURL
        // One key per invoice, amount and balance in a ten-minute window: a double click or a
        // retried request reuses the same session instead of opening a second one.
        let window = Int64(clock.now().timeIntervalSince1970) / 600
        let idempotencyKey = "billport-" + Digest.sha256("\(tenant.slug)|\(invoice.publicID)|\(amount)|\(invoice.amountPaid)|\(window)").hex
        let request = CheckoutSessionRequest(
            amount: amount, currency: invoice.currency.code, invoiceNumber: invoice.number, customerEmail: email,
            successURL: base + "/pay/complete?session_id={CHECKOUT_SESSION_ID}", cancelURL: base + backPath,
            tenant: tenant.slug, invoice: invoice.publicID, idempotencyKey: idempotencyKey)
        let session: CheckoutSession
        do {
            session = try await clients.client(key: key).createCheckoutSession(request)
        } catch {
            throw Self.apiError(error)
        }
        guard let url = session.url else {
            throw APIError(status: 502, code: "provider_error", message: "the payment provider returned no checkout page; try again")
        }
        try await stores.payments.recordCheckoutSession(tenantID: tenant.id, invoiceID: invoice.id, sessionID: session.id, amount: amount,
                                              currency: invoice.currency.code, expiresAt: session.expiresAt)
        await expireEarlierCheckouts(key: key, tenantID: tenant.id, invoiceID: invoice.id, keeping: session.id)
        return url
    }

    /// Ends the invoice's other open checkouts at the provider, so that a buyer who opened
    /// several cannot pay the invoice several times over. Runs after the new session exists: a
    /// repeated request gets the same session back (idempotency) and must not expire it. A
    /// session the provider will not expire was completed meanwhile; its money is still
    /// recorded (any excess shows as overpaid). Provider trouble is logged, never the buyer's.
    private func expireEarlierCheckouts(key: String, tenantID: Int64, invoiceID: Int64, keeping current: String) async {
        guard let earlier = try? await stores.payments.openCheckoutSessions(tenantID: tenantID, invoiceID: invoiceID, except: current),
              !earlier.isEmpty, let client = try? clients.client(key: key) else { return }
        for sessionID in earlier {
            do {
                let expired = try await client.expireCheckoutSession(id: sessionID)
                try? await stores.payments.closeCheckoutSession(tenantID: tenantID, sessionID: sessionID, completed: expired.status == .complete)
            } catch {
                if error.kind == .invalidRequest {
                    try? await stores.payments.closeCheckoutSession(tenantID: tenantID, sessionID: sessionID, completed: true)
                }
                logger.notice("earlier checkout not expired", ["session": sessionID, "error": error.message])
            }
        }
    }

    /// A provider failure in the buyer's terms; never the key.
    static func apiError(_ error: ProviderError) -> APIError {
        switch error.kind {
        case .invalidRequest:
            return APIError(status: 422, code: "payment_refused", message: "the payment provider refused this payment: \(error.message)")
        case .authentication:
            return APIError(status: 502, code: "provider_error", message: "online payment is not set up correctly; please tell the sender")
        default:
            return APIError(status: 502, code: "provider_unavailable", message: "the payment provider is not reachable; try again in a minute")
        }
    }

    /// The PDF for a guest who paid: only the invoice that session paid, only once the payment
    /// is confirmed, only within `guestPDFWindow` of the checkout. Anything else is one 404.
    private func guestPDF(_ context: RequestContext) async throws -> HTTPResponse {
        guard let sessionID = context.request.queryValue("token"), CheckoutSession.isWellFormedID(sessionID),
              let record = try await stores.payments.checkoutSession(sessionID),
              record.invoicePublicID == context.parameters["publicId"], record.paymentState == .succeeded,
              clock.now().timeIntervalSince(record.createdAt) < Self.guestPDFWindow else { throw APIError.linkNotFound }
        return try await pdf(record.tenantID, record.invoiceID)
    }

}
