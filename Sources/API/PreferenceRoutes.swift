import BillportCore
import Documents
import Foundation
import HTTPServer
import Billing
import Tokens

/// A customer's mail preferences, reached with the unsubscribe token every message carries:
/// the JSON API, the HTML page (works without JavaScript), and RFC 8058 one-click unsubscribe.
/// A GET never changes anything, so link scanners cannot unsubscribe anyone.
struct PreferenceRoutes {
    let stores: BillingStores

    var routes: [Route] {
        [
            Route(.get, "/api/preferences/{token}", .publicLink) { context in
                let (tenantName, _, customer) = try await open(context)
                return JSONBody.response(PreferencesBody(vendorName: tenantName, customer.preferences))
            },
            Route(.put, "/api/preferences/{token}", .publicLink) { context in
                let (tenantName, tenantID, customer) = try await open(context)
                let preferences = try Self.decodeChanges(context.request.body, onto: customer.preferences)
                let saved = try await stores.customers.setPreferences(tenantID: tenantID, customerID: customer.id, preferences)
                return JSONBody.response(PreferencesBody(vendorName: tenantName, saved.preferences))
            },
            Route(.get, "/preferences/{token}", .publicLink) { context in
                try await page(context) { tenantName, tenantID, customer in
                    let notice = context.request.queryValue("saved") == "1" ? "Saved. Thank you." : nil
                    return PreferencePage.render(vendorName: tenantName, brandColor: try await brandColor(tenantID), customer.preferences,
                                                 token: context.parameters["token"] ?? "", notice: notice)
                }
            },
            Route(.post, "/preferences/{token}", .publicLink) { context in
                try await page(context) { _, tenantID, customer in
                    var preferences = customer.preferences
                    let everythingOff = context.request.formValue("all") == "off"
                    for key in PreferenceKey.allCases {
                        preferences[key] = !everythingOff && context.request.formValue(key.rawValue) == "on"
                    }
                    _ = try await stores.customers.setPreferences(tenantID: tenantID, customerID: customer.id, preferences)
                    return nil
                } redirect: { "/preferences/\(context.parameters["token"] ?? "")?saved=1" }
            },
            // RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click`; no redirect, no cookie.
            Route(.post, "/unsubscribe/{token}", .publicLink) { context in
                let category = try Self.category(context)
                return try await page(context) { tenantName, tenantID, customer in
                    var preferences = customer.preferences
                    preferences[category.preferenceKey] = false
                    let saved = try await stores.customers.setPreferences(tenantID: tenantID, customerID: customer.id, preferences)
                    return PreferencePage.render(vendorName: tenantName, brandColor: try await brandColor(tenantID), saved.preferences,
                                                 token: context.parameters["token"] ?? "",
                                                 notice: "You will no longer receive \(PreferencePage.label(category.preferenceKey).lowercased()) from \(tenantName).")
                }
            },
            // What a link scanner (or a person clicking) gets: the page and a button, nothing changed.
            Route(.get, "/unsubscribe/{token}", .publicLink) { context in
                let category = try Self.category(context)
                return try await page(context) { tenantName, tenantID, customer in
                    PreferencePage.render(vendorName: tenantName, brandColor: try await brandColor(tenantID), customer.preferences,
                                          token: context.parameters["token"] ?? "", notice: nil, confirm: category.preferenceKey)
                }
            },
        ]
    }

    /// 400 for a missing or malformed token (it cannot be one of ours), the link 404 for an unknown one.
    private func open(_ context: RequestContext) async throws -> (String, Int64, Customer) {
        let token = context.parameters["token"] ?? ""
        guard SecretToken.hash(ofPresented: token) != nil else {
            throw APIError(status: 400, code: "invalid_token", message: "token must be the 43-character token from the email", field: "token")
        }
        guard let found = try await stores.customers.customer(unsubscribeHash: UnsubscribeTokens.hash(token)) else { throw APIError.linkNotFound }
        return (found.tenantName, found.tenantID, found.customer)
    }

    /// The tenant's brand colour, so its preference pages look like its invoice pages.
    private func brandColor(_ tenantID: Int64) async throws -> String? {
        try await stores.tenants.branding(tenantID: tenantID).brandColor
    }

    private func page(_ context: RequestContext, render: (String, Int64, Customer) async throws -> String?,
                      redirect: () -> String = { "" }) async throws -> HTTPResponse {
        try await PortalRoutes.page(context, render: {
            let (tenantName, tenantID, customer) = try await open(context)
            return try await render(tenantName, tenantID, customer)
        }, redirect: redirect)
    }

    private static func category(_ context: RequestContext) throws -> EmailCategory {
        guard let text = context.request.queryValue("category"), let category = EmailCategory(rawValue: text) else {
            throw APIError(status: 422, code: "invalid_field", message: "category must be one of document, reminder, portal, marketing",
                           field: "category")
        }
        return category
    }

    /// A JSON object of some of the three booleans; an unknown key or a non-boolean is a 422
    /// naming it (a typo must not silently leave mail switched on).
    static func decodeChanges(_ body: [UInt8], onto current: Customer.Preferences) throws -> Customer.Preferences {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            throw APIError(status: 400, code: "invalid_json", message: "the body must be a JSON object such as {\"marketing\": false}")
        }
        guard let object = json as? [String: Any] else {
            throw APIError(status: 422, code: "invalid_field", message: "the body must be a JSON object such as {\"marketing\": false}")
        }
        if let unknown = object.keys.sorted().first(where: { PreferenceKey(rawValue: $0) == nil }) {
            throw APIError.unknownField(unknown, known: PreferenceKey.allCases.map(\.rawValue))
        }
        let values: [String: Bool]
        do {
            // JSONDecoder, unlike JSONSerialization's NSNumber, tells `true` from `1`.
            values = try JSONDecoder().decode([String: Bool].self, from: Data(body))
        } catch let error as DecodingError {
            let field = DecodingErrorText.field(error)
            throw APIError(status: 422, code: "invalid_field", message: "\(field) must be true or false", field: field)
        }
        var preferences = current
        for (name, value) in values { if let key = PreferenceKey(rawValue: name) { preferences[key] = value } }
        return preferences
    }
}

/// What the preference API answers.
struct PreferencesBody: Encodable {
    let vendorName: String, document: Bool, reminder: Bool, marketing: Bool

    init(vendorName: String, _ preferences: Customer.Preferences) {
        self.vendorName = vendorName
        document = preferences.document
        reminder = preferences.reminder
        marketing = preferences.marketing
    }
}
