import Billing

/// The response bodies several operations share, as the routes and the `…Representation` types
/// encode them: a field the encoder may leave out is not `required`; one it writes as `null` is nullable.
enum OpenAPIComponents {
    typealias S = Schema

    static var schemas: [String: OpenAPIValue] {
        [
            "Error": S.object([
                "error": S.object([
                    "code": S.string("stable, machine-readable (unauthorized, forbidden, not_found, invalid_field, unknown_field, invalid_status, …); every code with its one status is in docs/ERRORS.md"),
                    "message": S.string("a sentence for a person"),
                    "field": S.string("the field, query parameter or path the error is about (lines[0].quantity)"),
                ], required: ["code", "message"]),
            ], required: ["error"]),
            "Customer": S.object([
                "id": S.id, "name": S.string(), "email": S.string(), "preferences": S.ref("Preferences"), "createdAt": S.timestamp,
                "erasedAt": S.timestamp, "address": S.ref("PostalAddress"), "vatId": S.string(), "buyerReference": S.string(),
            ], required: ["id", "name", "email", "preferences", "createdAt"]),
            "PostalAddress": S.object(addressFields, required: ["lines", "city", "country"]),
            "CompanyProfile": S.object([
                "legalName": S.nullable(S.string()), "address": S.nullable(S.ref("PostalAddress")), "vatId": S.nullable(S.string()),
                "taxNumber": S.nullable(S.string()), "registration": S.nullable(S.string()), "contactName": S.nullable(S.string()),
                "contactPhone": S.nullable(S.string()), "contactEmail": S.nullable(S.string()),
                "bankAccount": S.nullable(S.object(["holder": S.string(), "iban": S.string(), "bic": S.string()], required: ["holder", "iban"])),
                "eInvoicing": S.object(["available": S.boolean, "missing": S.array(S.string())], required: ["available", "missing"]),
            ], required: ["legalName", "address", "vatId", "taxNumber", "registration", "contactName", "contactPhone", "contactEmail",
                          "bankAccount", "eInvoicing"]),
            "Preferences": S.object(preferenceFields, required: ["document", "reminder", "marketing"]),
            "Invoice": invoice,
            "CreditNote": S.object([
                "id": S.id, "invoiceId": S.id, "number": S.string(), "issueDate": S.date, "amount": S.amount, "currency": S.string(),
                "reason": S.string(), "lines": S.array(invoiceLine), "subtotal": S.integer(), "taxes": S.array(taxRow), "taxTotal": S.integer(),
                "createdAt": S.timestamp,
            ], required: ["id", "invoiceId", "number", "issueDate", "amount", "currency", "lines", "taxes", "createdAt"]),
            "Payment": S.object([
                "provider": S.string(), "checkoutSessionId": S.string(), "paymentIntentId": S.string(), "amount": S.amount,
                "currency": S.string(), "state": S.string(oneOf: ["pending", "succeeded", "failed"]), "refunded": S.amount,
                "excess": S.amount, "createdAt": S.timestamp, "updatedAt": S.timestamp,
            ], required: ["provider", "checkoutSessionId", "amount", "currency", "state", "refunded", "excess", "createdAt", "updatedAt"]),
            "SalesOrder": S.object([
                "id": S.id, "customerId": S.id, "number": S.string(), "status": S.string(oneOf: salesOrderStatuses), "currency": S.string(),
                "total": S.amount, "orderDate": S.date, "expectedDate": S.date, "createdAt": S.timestamp,
            ], required: ["id", "customerId", "number", "status", "currency", "total", "orderDate", "createdAt"]),
            "EmailLogEntry": S.object([
                "id": S.id, "invoiceId": S.id, "customerId": S.id, "category": S.string(oneOf: ["document", "reminder", "portal", "marketing"]), "recipient": S.string(),
                "status": S.string(), "detail": S.string(), "messageId": S.string(), "createdAt": S.timestamp, "updatedAt": S.timestamp,
            ], required: ["id", "customerId", "category", "recipient", "status", "createdAt", "updatedAt"]),
            "JobAccepted": S.object(["jobId": S.id], required: ["jobId"]),
            "Branding": S.object([
                "brandColor": S.string(pattern: "^#[0-9A-Fa-f]{6}$"), "pageSize": S.string(oneOf: ["A4", "Letter"]),
                "paymentInstructions": S.string(), "hasLogo": S.boolean,
            ]),
            "PortalSettings": S.object(portalSettingFields,
                                       required: ["enabled", "tokenExpiryDays", "showCreditNotes", "showStatement", "showSalesOrders", "allowMessages"]),
            "PaymentSettings": S.object([
                "plan": S.string(oneOf: ["free", "pro"]), "provider": S.string(), "connected": S.boolean, "acceptsOnlinePayments": S.boolean,
                "secretKey": S.string("masked: sk_live_…1234"), "webhookSecrets": S.array(S.string("masked")), "webhookUrl": S.string(),
            ], required: ["plan", "provider", "connected", "acceptsOnlinePayments", "webhookSecrets", "webhookUrl"]),
            "WebhookDelivery": S.object([
                "id": S.id, "endpointId": S.id, "eventId": S.string("the webhook-id every attempt carried"), "eventType": S.string(),
                "state": S.string(oneOf: ["pending", "succeeded", "failed"]), "attempts": S.integer(min: 0),
                "responseStatus": S.integer(), "responseBody": S.string("the first 1 KB of the last answer"), "error": S.string(),
                "durationMs": S.integer(min: 0), "createdAt": S.timestamp, "lastAttemptAt": S.timestamp, "nextAttemptAt": S.timestamp,
                "completedAt": S.timestamp,
            ], required: ["id", "endpointId", "eventId", "eventType", "state", "attempts", "createdAt"]),
            "NotificationSettings": S.object([
                "recipients": S.array(S.string()), "events": S.array(S.string()), "windowMinutes": S.integer(min: 1),
                "available": S.array(S.string(oneOf: TenantNotificationSettings.notifiable.map(\.rawValue))),
            ], required: ["recipients", "events", "windowMinutes", "available"]),
            "WebhookEndpoint": S.object([
                "id": S.id, "url": S.string(format: "uri"), "description": S.string(), "eventTypes": S.array(S.string()),
                "enabled": S.boolean, "createdAt": S.timestamp, "updatedAt": S.timestamp, "previousSecretExpiresAt": S.timestamp,
                "alertEmail": S.string(), "disabledReason": S.string(oneOf: ["gone", "failing"], "why Billport disabled it"),
                "secret": S.string(pattern: "^whsec_", "only in the answers to create and rotate-secret, shown once"),
            ], required: ["id", "url", "description", "eventTypes", "enabled", "createdAt", "updatedAt"]),
        ]
    }

    static let salesOrderStatuses = ["open", "confirmed", "fulfilled", "cancelled"]

    static var preferenceFields: [String: OpenAPIValue] {
        ["document": S.boolean, "reminder": S.boolean, "marketing": S.boolean]
    }

    static var vatCategory: OpenAPIValue {
        S.string(oneOf: VATCategory.allCases.map(\.rawValue), "S standard (rate > 0; default when taxed), Z zero (default when not), E exempt, AE reverse charge, K intra-community, G export, O outside scope")
    }

    static var addressFields: [String: OpenAPIValue] {
        ["lines": S.array(S.string(min: 1, max: 100), min: 1, max: 3), "postalCode": S.string(min: 1, max: 16),
         "city": S.string(min: 1, max: 100), "country": S.string(pattern: "^[A-Za-z]{2}$", "ISO 3166-1 alpha-2")]
    }

    static var portalSettingFields: [String: OpenAPIValue] {
        ["enabled": S.boolean, "tokenExpiryDays": S.integer(min: 1, max: 365), "showCreditNotes": S.boolean, "showStatement": S.boolean,
         "showSalesOrders": S.boolean, "allowMessages": S.boolean, "welcomeMessage": S.string(max: 500)]
    }

    static var invoiceLine: OpenAPIValue {
        S.object([
            "description": S.string(), "quantity": S.number(), "unitPrice": S.amount, "taxRate": S.number(), "net": S.integer(),
            "unitCode": S.string(), "vatCategory": vatCategory, "exemptionReason": S.string(),
        ], required: ["description", "quantity", "unitPrice", "taxRate", "net", "unitCode", "vatCategory"])
    }

    /// One row of a VAT breakdown.
    static var taxRow: OpenAPIValue {
        S.object(["category": vatCategory, "rate": S.number(), "base": S.integer(), "amount": S.integer(), "exemptionReason": S.string()],
                 required: ["category", "rate", "base", "amount"])
    }

    static var invoice: OpenAPIValue {
        let (line, tax) = (invoiceLine, taxRow)
        let allowanceCharge = S.object(["kind": S.string(oneOf: ["allowance", "charge"]), "amount": S.integer(), "reason": S.string(),
                                        "vatCategory": vatCategory, "taxRate": S.number()],
                                       required: ["kind", "amount", "reason", "vatCategory", "taxRate"])
        let views = S.object([
            "count": S.integer(min: 0), "uniqueIPs": S.integer(min: 0), "firstViewedAt": S.timestamp, "lastViewedAt": S.timestamp,
            "viewedRecently": S.boolean,
        ], required: ["count", "uniqueIPs", "viewedRecently"])
        return S.object([
            "id": S.id, "publicId": S.string(), "customerId": S.id, "type": S.string(oneOf: ["AR", "AP"]),
            "number": S.string(), "status": S.string(oneOf: ["draft", "issued", "paid", "cancelled"]),
            "deliveryStatus": S.string(oneOf: ["not_sent", "queued", "sent", "failed"]), "currency": S.string(),
            "issueDate": S.date, "dueDate": S.date, "notes": S.string(), "allowPartialPayments": S.boolean,
            "minimumPaymentAmount": S.amount, "lines": S.array(line), "subtotal": S.integer(), "taxes": S.array(tax),
            "allowanceCharges": S.array(allowanceCharge), "allowanceTotal": S.integer(), "chargeTotal": S.integer(), "taxBasis": S.integer(),
            "supplyDate": S.date, "servicePeriod": S.object(["start": S.date, "end": S.date], required: ["start", "end"]),
            "paymentTerms": S.string(),
            "taxTotal": S.integer(), "total": S.integer(), "amountPaid": S.integer(), "amountCredited": S.integer(),
            "amountDue": S.integer(), "amountOverpaid": S.integer(min: 0), "createdAt": S.timestamp, "issuedAt": S.timestamp,
            "views": views, "payments": S.array(S.ref("Payment")),
        ], required: ["id", "publicId", "customerId", "type", "number", "status", "deliveryStatus", "currency", "issueDate", "dueDate",
                      "allowPartialPayments", "lines", "allowanceCharges", "subtotal", "allowanceTotal", "chargeTotal", "taxBasis", "taxes",
                      "taxTotal", "total", "amountPaid", "amountCredited",
                      "amountDue", "amountOverpaid", "createdAt"])
    }

    static var securitySchemes: [String: OpenAPIValue] {
        ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": "An API token from `billport token --tenant SLUG` (HS256 JWT: tenant, perms, exp, nbf). Any valid token reads; writes need the permission named in x-permission."]]
    }
}
