import BillportCore
import Foundation
import Billing
import Tokens

/// A portal token that opened: whose portal it is and what the tenant lets it show.
struct PortalSession: Sendable {
    let tenant: Tenant
    let customer: Customer
    let settings: CustomerPortalSettings
    /// The portal token's link id (media tokens are tied to it).
    let linkID: Int64
}

/// The one check every portal-derived route makes — the portal pages, its invoices and PDFs,
/// messages, payments, media-token issuance and media-token downloads: unknown or revoked token
/// → the link 404; portal switched off → 403 `portal_unavailable` whatever the token (the tenant's
/// choice, not a fault of the server: no 5xx for proxies to retry or monitors to alert on);
/// expired → 403 `access_denied`.
struct PortalGate: Sendable {
    let stores: BillingStores

    static let unavailable = APIError(status: 403, code: "portal_unavailable", message: "Portal not available.")

    /// The portal a raw portal token (from a URL or a Bearer header) opens.
    func open(_ token: String?) async throws -> PortalSession {
        guard let hash = SecretToken.hash(ofPresented: token ?? ""), let access = try await stores.links.portalCustomer(tokenHash: hash) else {
            throw APIError.linkNotFound
        }
        return try await open(access)
    }

    /// The portal the portal token with `linkID` opens (a media token's origin), checked now.
    func open(linkID: Int64) async throws -> PortalSession {
        guard let access = try await stores.links.portalCustomer(linkID: linkID) else { throw APIError.linkNotFound }
        return try await open(access)
    }

    private func open(_ access: PortalAccess) async throws -> PortalSession {
        guard let tenant = try await stores.tenants.tenant(id: access.tenantID) else { throw APIError.linkNotFound }
        let settings = try await stores.tenants.portalSettings(tenantID: access.tenantID)
        guard settings.enabled else { throw Self.unavailable }
        guard !access.expired else {
            throw APIError(status: 403, code: "access_denied", message: "Access denied: this portal link has expired. Ask \(tenant.name) for a new one.")
        }
        guard let customer = try await stores.customers.customer(tenantID: access.tenantID, id: access.customerID) else { throw APIError.linkNotFound }
        return PortalSession(tenant: tenant, customer: customer, settings: settings, linkID: access.linkID)
    }
}
