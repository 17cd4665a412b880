import API
import BillportCore
import Foundation
import Billing
import Tokens

/// `tenant create`, `token`, `demo`: what a tenant needs to start using the API.
enum TenantCommands {
    static let all: [Command] = [
        Command(words: ["tenant", "create"], summary: "create a tenant",
                spec: CommandSpec(command: "billport tenant create", options: ["name"], positionals: ["tenant slug"]),
                help: """
            Usage: billport tenant create SLUG --name "Acme GmbH"

            Creates a tenant. SLUG (2–40 of a-z, 0-9, '-') names it in API tokens.
            """) { arguments, context, console in
            guard let name = arguments.option("name") else {
                throw UsageError(command: "billport tenant create", message: "missing --name")
            }
            let tenant = try await try context.openBillingStores().tenants.createTenant(slug: arguments.positionals[0], name: name)
            console.out("created tenant \(tenant.slug) (\(tenant.name))")
            return 0
        },
        Command(words: ["token"], summary: "print an API token for a tenant",
                spec: CommandSpec(command: "billport token", options: ["tenant", "perms", "ttl"]), help: """
            Usage: billport token --tenant SLUG [--perms invoices:write,invoices:manage,settings:manage] [--ttl 30d]

            Prints an API token (HS256 JWT) for the tenant on standard output. Any token can read;
            invoices:write creates and issues customers and invoices; invoices:manage shares,
            revokes and sends them and manages portal tokens; settings:manage changes branding.
            Default: all three, valid 30 days.
            """) { arguments, context, console in
            let command = "billport token"
            guard let slug = arguments.option("tenant") else { throw UsageError(command: command, message: "missing --tenant") }
            let ttlText = arguments.option("ttl") ?? "30d"
            guard let ttl = DurationText.parse(ttlText), ttl >= .seconds(60), ttl <= .seconds(3650 * 86_400) else {
                throw UsageError(command: command, message: "--ttl must be a duration from 1m to 3650d like 30d (got '\(ttlText)')")
            }
            let known = Permission.all.map(\.rawValue)
            let perms = (arguments.option("perms") ?? known.joined(separator: ",")).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if let unknown = perms.first(where: { !Permission(rawValue: $0).isKnown }) {
                throw UsageError(command: command, message: "unknown permission '\(unknown)'; known: \(known.joined(separator: ", "))")
            }
            guard try await try context.openBillingStores().tenants.tenant(slug: slug) != nil else {
                throw StartupError("no tenant \(slug); create it with billport tenant create \(slug) --name …")
            }
            console.out(try mint(context, tenant: slug, perms: perms, ttl: ttl))
            return 0
        },
        Command(words: ["demo"], summary: "create demo data and print its links and an API token",
                spec: CommandSpec(command: "billport demo", flags: ["json"]), help: """
            Usage: billport demo [--json]

            Creates demo data if missing: tenant "demo" and one customer with three invoices dated
            from today (one overdue, one settled by a credit note, one current), a sales order and
            a portal that takes messages. Then makes a fresh share link to the current invoice, a
            portal link and an API token, and prints the URLs to open (--json: one object).
            """) { arguments, context, console in
            let demo = try await DemoData.ensure(context)
            if arguments.flags.contains("json") {
                let data = try JSONEncoder().encode(demo)
                console.out(String(decoding: data, as: UTF8.self))
            } else {
                console.out("""
                    Demo tenant "demo" with invoice \(demo.invoiceNumber):
                      Buyer's view of the invoice:  \(demo.shareUrl)
                      The customer's portal:        \(demo.portalUrl)
                      Health:                       \(context.configuration.api.publicBaseURL)/healthz
                      Tenant API (token valid 30 days):
                        export TOKEN=\(demo.apiToken)
                        curl -H "Authorization: Bearer $TOKEN" \(context.configuration.api.publicBaseURL)/api/invoices/\(demo.invoiceId)
                      Online payments ("Pay now"), with a Stripe test key:
                        billport tenant payments demo --plan pro --stripe-key - --webhook-secret -
                    """)
            }
            return 0
        },
    ]

    static func mint(_ context: AppContext, tenant: String, perms: [String], ttl: Duration) throws -> String {
        let now = Int64(context.clock.now().timeIntervalSince1970)
        return try context.jwtSigner().sign(APIClaims(tenant: tenant, perms: perms, exp: now + ttl.milliseconds / 1000, nbf: now, iat: now))
    }
}

/// The demo tenant, customer, invoices and portal that `make run` shows.
struct DemoData: Encodable {
    let tenant: String
    let invoiceId: Int64
    let invoiceNumber: String
    let shareToken: String
    let shareUrl: String
    let portalUrl: String
    let apiToken: String

    static func ensure(_ context: AppContext) async throws -> DemoData {
        let stores = try context.openBillingStores()
        let tenant: Tenant
        if let existing = try await stores.tenants.tenant(slug: "demo") {
            tenant = existing
        } else {
            tenant = try await stores.tenants.createTenant(slug: "demo", name: "Demo Consulting GmbH")
            try await populate(stores, tenant: tenant, today: CalendarDate(utc: context.clock.now()))
        }
        guard let invoice = try await stores.invoices.invoices(tenantID: tenant.id, limit: 1, beforeID: nil).first else {
            throw BillingError.notFound("demo invoice")
        }
        let shared = try await stores.links.share(tenantID: tenant.id, invoiceID: invoice.id, regenerate: true)
        let token = shared.token ?? ""
        let portal = try await stores.links.createPortalToken(tenantID: tenant.id, customerID: invoice.customerID).token ?? ""
        let base = context.configuration.api.publicBaseURL
        return DemoData(tenant: tenant.slug, invoiceId: invoice.id, invoiceNumber: invoice.number, shareToken: token,
                        shareUrl: "\(base)/invoice/\(token)", portalUrl: "\(base)/portal/\(portal)",
                        apiToken: try TenantCommands.mint(context, tenant: tenant.slug, perms: Permission.all.map(\.rawValue),
                                                          ttl: .seconds(30 * 86_400)))
    }

    /// One customer with three invoices dated from `today`, so the portal always shows what the
    /// README promises: one overdue, one settled by a credit note, one current (due in 25 days);
    /// a sales order, and a portal that welcomes them and takes messages. Seller and buyer have
    /// addresses, VAT ids and a bank account, so the invoices are legally complete.
    private static func populate(_ stores: BillingStores, tenant: Tenant, today: CalendarDate) async throws {
        _ = try await stores.tenants.updateCompanyProfile(tenantID: tenant.id) { _ in
            CompanyProfile(legalName: "\(tenant.name) GmbH",
                           address: PostalAddress(lines: ["Friedrichstraße 68"], postalCode: "10117", city: "Berlin", country: CountryCode("DE")!),
                           vatID: VATIdentifier(stored: "DE123456789"), taxNumber: "27/123/45678", registration: "HRB 123456 B, Amtsgericht Charlottenburg",
                           contact: .init(name: "Jana Kraus", phone: "+49 30 1234567", email: "billing@example.com"),
                           bankAccount: BankAccount(holder: "\(tenant.name) GmbH", iban: IBAN(stored: "DE89370400440532013000"), bic: BIC(stored: "COBADEFFXXX")))
        }
        let details = BuyerDetails(address: PostalAddress(lines: ["Rue de la Loi 200"], postalCode: "1040", city: "Bruxelles", country: CountryCode("BE")!),
                                   vatID: VATIdentifier(stored: "BE0123456749"), buyerReference: "PO-2026-118")
        let customer = try await stores.customers.createCustomer(tenantID: tenant.id, name: "Zoë Müller-Łukasiewicz",
                                                      email: "zoe@example.com", preferences: .init(), details: details)
        let (overdue, credited, current) = (today.adding(days: -75), today.adding(days: -45), today.adding(days: -5))
        let invoices = [
            (overdue, #"{"description": "Workshop, \#(monthName(overdue))", "quantity": 2, "unitPrice": 48000, "taxRate": 19}"#),
            (credited, #"{"description": "Support retainer, \#(monthName(credited))", "quantity": 1, "unitPrice": 60000, "taxRate": 19}"#),
            (current, """
                {"description": "Consulting, \(monthName(current))", "quantity": 12, "unitPrice": 9500, "taxRate": 19},
                {"description": "Travel expenses", "quantity": 1, "unitPrice": 23450, "taxRate": 7}
                """),
        ]
        for (sequence, (issued, lines)) in zip([31, 37, 42], invoices) {
            let request = try JSONDecoder().decode(CreateInvoiceRequest.self, from: Data("""
                {"customerId": \(customer.id), "type": "AR", "number": "INV-\(issued.year)-00\(sequence)", "currency": "EUR",
                 "issueDate": "\(issued)", "dueDate": "\(issued.adding(days: 30))", "notes": "Thank you!",
                 "allowPartialPayments": true, "minimumPaymentAmount": 5000, "lines": [\(lines)]}
                """.utf8))
            let draft = try await stores.invoices.createInvoice(tenantID: tenant.id, draft: try InvoiceDraft.validate(request))
            let issuedInvoice = try await stores.invoices.issue(tenantID: tenant.id, id: draft.id)
            if issued == credited {
                let request = CreateCreditNoteRequest(number: "CN-\(today.year)-0004", amount: nil, reason: "Retainer not used this month",
                                                      issueDate: today.description, lines: issuedInvoice.lines.map(CreateInvoiceRequest.Line.init))
                _ = try await stores.invoices.createCreditNote(tenantID: tenant.id, invoiceID: issuedInvoice.id) { invoice in
                    try CreditNoteDraft.validate(request, for: invoice, today: today)
                }
            }
        }
        _ = try await stores.salesOrders.createSalesOrder(tenantID: tenant.id, SalesOrderDraft(
            customerId: customer.id, number: "SO-\(today.year)-0007", status: .confirmed, currency: Currency(code: "EUR")!, total: 238_000,
            orderDate: today.adding(days: -10), expectedDate: today.adding(days: 14)))
        var settings = try await stores.tenants.portalSettings(tenantID: tenant.id)
        settings.allowMessages = true
        settings.welcomeMessage = "Welcome to your account with Demo Consulting. Questions? Write to us below."
        _ = try await stores.tenants.updatePortalSettings(tenantID: tenant.id, settings)
    }

    private static func monthName(_ date: CalendarDate) -> String {
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
         "December"][date.month - 1]
    }
}
