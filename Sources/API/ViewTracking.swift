import BillportCore
import Foundation
import HTTPServer
import Billing
import Tokens

/// Decides whether and how a public open is recorded: the client's address (from
/// `X-Forwarded-For` only when the peer is a trusted proxy), the source, and the tenant's own
/// preview (`?preview=1` with the tenant's API token), which never counts.
struct ViewTracking: Sendable {
    let recorder: ViewRecorder?
    let signer: JWTSigner
    let stores: BillingStores
    let clock: any WallClock
    let trustedProxies: Set<String>

    func note(_ request: HTTPRequest, tenantID: Int64, invoiceID: Int64, linkID: Int64?, source: ViewSource) async {
        guard let recorder else { return }
        if request.queryValue("preview") == "1", await isTenantPreview(request, tenantID: tenantID) { return }
        recorder.record(ViewRecord(key: recorder.nextKey(), tenantID: tenantID, invoiceID: invoiceID, linkID: linkID,
                                   source: source, ip: Self.clientAddress(request, trustedProxies: trustedProxies),
                                   userAgent: request.headers["User-Agent"], viewedAt: clock.now()))
    }

    /// The socket peer, or — when the peer is a trusted proxy — the last address in
    /// `X-Forwarded-For` that is not itself a trusted proxy.
    static func clientAddress(_ request: HTTPRequest, trustedProxies: Set<String>) -> String {
        guard trustedProxies.contains(request.remoteAddress) else { return request.remoteAddress }
        let hops = request.headers.values(for: "X-Forwarded-For")
            .flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trustedProxies.contains($0) } ?? request.remoteAddress
    }

    private func isTenantPreview(_ request: HTTPRequest, tenantID: Int64) async -> Bool {
        guard let header = request.headers["Authorization"], header.lowercased().hasPrefix("bearer "),
              let claims = try? signer.verify(String(header.dropFirst(7)), now: clock.now()), claims.scope ?? "api" == "api",
              let tenant = try? await stores.tenants.tenant(slug: claims.tenant) else { return false }
        return tenant.id == tenantID
    }
}
