import BillportCore
import Documents
import Foundation
import HTTPServer
import PDF
import Billing
import Tokens

/// Branding settings and customers' portal tokens.
struct SettingsRoutes {
    let stores: BillingStores
    let signer: JWTSigner
    let configuration: APIConfiguration
    let clock: any WallClock
    /// Where logos are decoded and scaled, off the request threads (nil: inline, no renderer).
    let renderPool: PDFRenderPool?

    struct BrandingBody: Encodable {
        let brandColor: String?
        let pageSize: String?
        let paymentInstructions: String?
        var hasLogo: Bool?
    }

    /// A change to the branding: an absent field stays, `null` clears the colour or the
    /// instructions; the page size can be changed but not cleared.
    struct BrandingChange: Decodable, KnownKeys {
        var brandColor: String??
        var pageSize: String?
        var paymentInstructions: String??

        enum CodingKeys: String, CodingKey, CaseIterable { case brandColor, pageSize, paymentInstructions }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            brandColor = try container.decodeChange(forKey: .brandColor)
            pageSize = try container.decodeUnlessAbsent(forKey: .pageSize)
            paymentInstructions = try container.decodeChange(forKey: .paymentInstructions)
        }
    }

    var routes: [Route] {
        [
            Route(.get, "/api/settings/branding", .tenant(permission: nil)) { context in
                let branding = try await stores.tenants.branding(tenantID: try context.tenantID)
                return JSONBody.response(Self.body(branding))
            },
            // PUT is the same partial update as PATCH: no field is erased by being left out.
            Route(.patch, "/api/settings/branding", .tenant(permission: .settingsManage)) { try await updateBranding($0) },
            Route(.put, "/api/settings/branding", .tenant(permission: .settingsManage)) { try await updateBranding($0) },
            Route(.put, "/api/settings/logo", .tenant(permission: .settingsManage)) { context in
                let type = context.request.headers["Content-Type"]?.lowercased() ?? ""
                guard type.hasPrefix("image/png") || type.hasPrefix("image/jpeg") else {
                    throw APIError(status: 415, code: "unsupported_media_type", message: "send the logo as image/png or image/jpeg")
                }
                let logo = try await preparedLogo(context.request.body)
                try await stores.tenants.updateLogo(tenantID: try context.tenantID, logo: logo)
                return HTTPResponse(status: 204)
            },
            Route(.delete, "/api/settings/logo", .tenant(permission: .settingsManage)) { context in
                try await stores.tenants.updateLogo(tenantID: try context.tenantID, logo: nil)
                return HTTPResponse(status: 204)
            },
            Route(.post, "/api/customers/{id}/portal-token", .tenant(permission: .invoicesManage)) { context in
                let token = try await stores.links.createPortalToken(tenantID: try context.tenantID, customerID: try context.id("id", "customer"))
                struct Body: Encodable { let token: String; let url: String; let createdAt: String; let expiresAt: String }
                let raw = token.token ?? ""
                return JSONBody.response(status: 201, Body(token: raw, url: "\(configuration.publicBaseURL)/portal/\(raw)",
                                                           createdAt: ISO8601.format(token.createdAt), expiresAt: ISO8601.format(token.expiresAt)))
            },
            Route(.delete, "/api/customers/{id}/portal-token", .tenant(permission: .invoicesManage)) { context in
                try await stores.links.revokePortalToken(tenantID: try context.tenantID, customerID: try context.id("id", "customer"))
                return HTTPResponse(status: 204)
            },
            Route(.get, "/api/portal-tokens", .tenant(permission: nil)) { context in
                let limit = Int(try context.queryInt("limit", default: 100, range: 1...1000) ?? 100)
                let now = clock.now()
                let tokens = try await stores.links.portalTokens(tenantID: try context.tenantID, limit: limit).map {
                    PortalTokenRepresentation($0, now: now)
                }
                return JSONBody.response(["data": tokens])
            },
            Route(.get, "/api/auth/media/customer", .publicLink) { context in
                let tokens = MediaTokens(signer: signer, gate: PortalGate(stores: stores), clock: clock)
                return JSONBody.response(["jwt": try await tokens.issue(authorization: context.request.headers["Authorization"])])
            },
        ]
    }

    private func updateBranding(_ context: RequestContext) async throws -> HTTPResponse {
        let change = try JSONBody.decode(BrandingChange.self, from: context.request)
        let tenantID = try context.tenantID
        let current = try await stores.tenants.branding(tenantID: tenantID)
        var pageSize = current.pageSize
        if let text = change.pageSize {
            guard let chosen = Branding.PageSize.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                throw APIError(status: 422, code: "invalid_field", message: "pageSize must be A4 or Letter", field: "pageSize")
            }
            pageSize = chosen
        }
        let branding = try await stores.tenants.updateBranding(tenantID: tenantID, brandColor: change.brandColor ?? current.brandColor, pageSize: pageSize,
                                                               paymentInstructions: change.paymentInstructions ?? current.paymentInstructions)
        return JSONBody.response(Self.body(branding))
    }

    static func body(_ branding: Branding) -> BrandingBody {
        BrandingBody(brandColor: branding.brandColor, pageSize: branding.pageSize.rawValue,
                     paymentInstructions: branding.paymentInstructions, hasLogo: branding.logo != nil)
    }

    /// The logo as stored: checked against `branding.maxLogoPixels` from its header before any
    /// decoding, PNGs scaled to the page's logo box; a refusal is 422 `invalid_logo`.
    private func preparedLogo(_ body: [UInt8]) async throws -> [UInt8] {
        let policy = configuration.logoPolicy
        let prepare: @Sendable () throws -> [UInt8] = {
            do { return try policy.prepare(body) } catch { throw APIError(status: 422, code: "invalid_logo", message: "\(error)", field: "logo") }
        }
        guard let renderPool else { return try prepare() }
        do {
            return try await renderPool.offload(prepare)
        } catch is RenderBusy {
            throw APIError(status: 503, code: "pdf_busy", message: "too many images and PDFs are being made right now; try again in a second",
                           retryAfter: 1)
        }
    }
}
