import Billing
import Tokens

/// `/api/settings/…` and `/api/webhook-endpoints…`: what a tenant configures.
enum SettingsOperations {
    typealias S = Schema

    static func op(_ method: String, _ path: String, id: String, _ summary: String, tag: String, _ permission: Permission?) -> APIOperation {
        APIOperation(method, path, id: id, summary, tag: tag, access: .tenant(permission))
    }

    static var operations: [APIOperation] {
        let brandingChange = S.body(["brandColor": S.nullable(S.string(pattern: "^#[0-9A-Fa-f]{6}$")),
                                     "pageSize": S.string(oneOf: ["A4", "Letter"]), "paymentInstructions": S.nullable(S.string(max: 1000))])
        var portalFields = OpenAPIComponents.portalSettingFields
        portalFields["welcomeMessage"] = S.nullable(S.string(max: 500))
        let paymentChange = S.body(["plan": S.string(oneOf: ["free", "pro"], "shown; only the operator changes it"),
                                    "secretKey": S.nullable(S.string(pattern: "^(sk|rk)_(live|test)_", "null disconnects")),
                                    "webhookSecrets": S.nullable(S.array(S.string(pattern: "^whsec_[A-Za-z0-9]{8,}$"), max: 5))])
        return [
            op("get", "/api/settings/branding", id: "getBranding", "Brand colour, page size, payment instructions", tag: "Settings", nil)
                .responds(200, "the branding", S.ref("Branding")),
            op("patch", "/api/settings/branding", id: "updateBranding", "Change the branding: only the fields sent", tag: "Settings", .settingsManage)
                .body(brandingChange, example: ["pageSize": "Letter", "brandColor": "#1F6FEB"])
                .responds(200, "the branding", S.ref("Branding")),
            op("put", "/api/settings/branding", id: "replaceBrandingFields", "The same partial change as PATCH", tag: "Settings", .settingsManage)
                .body(brandingChange, example: ["paymentInstructions": "IBAN DE02 1203 0000 0000 2020 51"])
                .responds(200, "the branding", S.ref("Branding")),
            op("put", "/api/settings/logo", id: "uploadLogo", "Upload the logo (PNG or JPEG, at most 1 MiB)", tag: "Settings", .settingsManage)
                .rawBody(["image/png", "image/jpeg"])
                .responds(204, "stored")
                .fails(422, "invalid_logo: not a PNG or JPEG, or too many pixels")
                .fails(503, "pdf_busy (Retry-After)"),
            op("delete", "/api/settings/logo", id: "deleteLogo", "Remove the logo", tag: "Settings", .settingsManage)
                .responds(204, "removed"),
            op("get", "/api/settings/company", id: "getCompanyProfile", "The seller's legal identity printed on invoices", tag: "Settings", nil)
                .responds(200, "the profile, and what e-invoices still need", S.ref("CompanyProfile")),
            op("patch", "/api/settings/company", id: "updateCompanyProfile", "Change the company profile: only the fields sent, null clears",
               tag: "Settings", .settingsManage)
                .body(S.body([
                    "legalName": S.nullable(S.string(min: 1, max: 200)),
                    "address": S.nullable(S.body(OpenAPIComponents.addressFields, required: ["lines", "city", "country"])),
                    "vatId": S.nullable(S.string(min: 4, max: 40, "with its country prefix, checked per country")),
                    "taxNumber": S.nullable(S.string(min: 1, max: 40)), "registration": S.nullable(S.string(min: 1, max: 200)),
                    "contactName": S.nullable(S.string(min: 1, max: 100)), "contactPhone": S.nullable(S.string(min: 1, max: 30)),
                    "contactEmail": S.nullable(S.string(max: 254, format: "email")),
                    "bankAccount": S.nullable(S.body(["holder": S.string(min: 1, max: 70), "iban": S.string(min: 15, max: 42, "checked by its check digits"),
                                                      "bic": S.nullable(S.string(min: 8, max: 11))], required: ["holder", "iban"])),
                ]), example: ["legalName": "Acme Software GmbH", "vatId": "DE123456789",
                              "address": ["lines": ["Hauptstraße 1"], "postalCode": "10115", "city": "Berlin", "country": "DE"],
                              "bankAccount": ["holder": "Acme Software GmbH", "iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX"]])
                .responds(200, "the profile", S.ref("CompanyProfile")),
            op("get", "/api/settings/portal", id: "getPortalSettings", "The customer portal's settings", tag: "Settings", nil)
                .responds(200, "the settings", S.ref("PortalSettings")),
            op("patch", "/api/settings/portal", id: "updatePortalSettings", "Change the portal settings: only the fields sent", tag: "Settings",
               .settingsManage)
                .body(S.body(portalFields), example: ["allowMessages": true, "welcomeMessage": "Questions? Write to us here."])
                .responds(200, "the settings", S.ref("PortalSettings")),
            op("put", "/api/settings/portal", id: "replacePortalSettingsFields", "The same partial change as PATCH", tag: "Settings", .settingsManage)
                .body(S.body(portalFields), example: ["tokenExpiryDays": 60])
                .responds(200, "the settings", S.ref("PortalSettings")),
            op("get", "/api/settings/payments", id: "getPaymentSettings", "Plan and provider keys, masked", tag: "Settings", nil)
                .responds(200, "the settings", S.ref("PaymentSettings")),
            op("patch", "/api/settings/payments", id: "updatePaymentSettings", "Connect Stripe: only the fields sent", tag: "Settings", .settingsManage)
                .body(paymentChange, example: ["secretKey": "sk_test_51Hx0000000000000000000000", "webhookSecrets": ["whsec_0123456789abcdef"]])
                .responds(200, "the settings, masked", S.ref("PaymentSettings")),
            op("put", "/api/settings/payments", id: "replacePaymentSettingsFields", "The same partial change as PATCH", tag: "Settings", .settingsManage)
                .body(paymentChange, example: ["secretKey": .null])
                .responds(200, "the settings, masked", S.ref("PaymentSettings")),
        ] + notifications + webhookEndpoints
    }

    static var notifications: [APIOperation] {
        let change = S.body([
            "recipients": S.array(S.string(max: 254, format: "email"), max: TenantNotificationSettings.maxRecipients),
            "events": S.array(S.string(oneOf: TenantNotificationSettings.notifiable.map(\.rawValue))),
            "windowMinutes": S.integer(min: Int64(TenantNotificationSettings.windowRange.lowerBound),
                                       max: Int64(TenantNotificationSettings.windowRange.upperBound), "one email per invoice and event in this window"),
        ])
        let answer = S.ref("NotificationSettings")
        return [
            op("get", "/api/settings/notifications", id: "getNotificationSettings", "Which events email the tenant's own people, and where",
               tag: "Settings", nil)
                .responds(200, "the settings", answer),
            op("patch", "/api/settings/notifications", id: "updateNotificationSettings", "Change the notification settings: only the fields sent",
               tag: "Settings", .settingsManage)
                .body(change, example: ["recipients": ["billing@acme.example"], "events": ["invoice.paid", "portal.message_received"]])
                .responds(200, "the settings", answer),
            op("put", "/api/settings/notifications", id: "replaceNotificationSettingsFields", "The same partial change as PATCH", tag: "Settings",
               .settingsManage)
                .body(change, example: ["windowMinutes": 120])
                .responds(200, "the settings", answer),
        ]
    }

    static var webhookEndpoints: [APIOperation] {
        let eventTypes = S.array(S.string(oneOf: ["*"] + WebhookEventType.allCases.map(\.rawValue)), min: 1)
        // `null` is the same as leaving a field out.
        let fields: [String: OpenAPIValue] = [
            "url": S.nullable(S.string(max: 2048, format: "uri", "https; must resolve to a public address")),
            "description": S.nullable(S.string(max: 500)), "eventTypes": S.nullable(eventTypes), "enabled": S.nullable(S.boolean),
            "alertEmail": S.nullable(S.string(max: 254, format: "email", "told when Billport disables the endpoint; null clears it")),
        ]
        let tag = "Webhook endpoints"
        return [
            op("post", "/api/webhook-endpoints", id: "createWebhookEndpoint", "Where Billport sends the tenant's signed events", tag: tag, .settingsManage)
                .body(S.body(fields, required: ["url"]),
                      example: ["url": "https://hooks.acme.example/billport", "eventTypes": ["invoice.paid", "invoice.viewed"], "description": "ERP"])
                .responds(201, "the endpoint with its signing secret, shown this once", S.ref("WebhookEndpoint"))
                .fails(409, "too_many_endpoints: at most 20"),
            op("get", "/api/webhook-endpoints", id: "listWebhookEndpoints", "The tenant's webhook endpoints", tag: tag, nil)
                .responds(200, "the endpoints, without secrets", S.list(S.ref("WebhookEndpoint"))),
            op("get", "/api/webhook-endpoints/{id}", id: "getWebhookEndpoint", "A webhook endpoint", tag: tag, nil)
                .responds(200, "the endpoint, without its secret", S.ref("WebhookEndpoint")),
            op("patch", "/api/webhook-endpoints/{id}", id: "updateWebhookEndpoint", "Change an endpoint: only the fields sent", tag: tag,
               .settingsManage)
                .body(S.body(fields), example: ["enabled": false])
                .responds(200, "the endpoint", S.ref("WebhookEndpoint")),
            op("delete", "/api/webhook-endpoints/{id}", id: "deleteWebhookEndpoint", "Delete an endpoint", tag: tag, .settingsManage)
                .responds(204, "deleted"),
            op("post", "/api/webhook-endpoints/{id}/rotate-secret", id: "rotateWebhookSecret",
               "A new signing secret; the old one keeps signing for webhooks.secretOverlap", tag: tag, .settingsManage)
                .responds(200, "the endpoint with its new secret, shown this once", S.ref("WebhookEndpoint")),
            op("get", "/api/webhook-endpoints/{id}/deliveries", id: "listWebhookDeliveries", "What was sent to the endpoint, newest first",
               tag: tag, nil)
                .query("limit", S.integer(min: 1, max: 200), "page size (default 50)")
                .query("before", S.id, "the nextBefore of the previous page")
                .responds(200, "a page", S.list(S.ref("WebhookDelivery"), extra: ["nextBefore": S.nullable(S.id)])),
            op("post", "/api/webhook-endpoints/{id}/deliveries/{deliveryId}/retry", id: "retryWebhookDelivery", "Send a delivery again now",
               tag: tag, .settingsManage)
                .responds(202, "queued again", S.ref("WebhookDelivery"))
                .fails(409, "endpoint_disabled: enable the endpoint first"),
            op("post", "/api/webhook-endpoints/{id}/test", id: "testWebhookEndpoint", "Send the endpoint a ping event", tag: tag, .settingsManage)
                .responds(202, "queued", S.ref("WebhookDelivery"))
                .fails(409, "endpoint_disabled: enable the endpoint first"),
        ]
    }
}
