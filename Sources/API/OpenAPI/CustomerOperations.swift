import Tokens

/// Customers, their emails and portal tokens, sales orders, the message inbox and queued jobs.
enum CustomerOperations {
    typealias S = Schema

    static func op(_ method: String, _ path: String, id: String, _ summary: String, tag: String, _ permission: Permission?) -> APIOperation {
        APIOperation(method, path, id: id, summary, tag: tag, access: .tenant(permission))
    }

    static var operations: [APIOperation] {
        [
            op("post", "/api/customers", id: "createCustomer", "Create a customer", tag: "Customers", .invoicesWrite)
                .body(S.body(["name": S.string(min: 1, max: 200), "email": S.string(max: 254, format: "email"),
                              "preferences": S.nullable(S.body(OpenAPIComponents.preferenceFields, required: ["document", "reminder", "marketing"])),
                              "address": S.nullable(S.body(OpenAPIComponents.addressFields, required: ["lines", "city", "country"])),
                              "vatId": S.nullable(S.string(min: 4, max: 40, "with its country prefix, checked per country")),
                              "buyerReference": S.nullable(S.string(min: 1, max: 100, "e.g. the German Leitweg-ID"))],
                             required: ["name", "email"]),
                      example: ["name": "Acme Ltd", "email": "ap@acme.example", "preferences": ["document": true, "reminder": true, "marketing": false]])
                .responds(201, "the customer", S.ref("Customer")),
            op("get", "/api/customers", id: "listCustomers", "Customers, newest first, optionally searched", tag: "Customers", nil)
                .query("q", S.string(min: 1, max: 100), "a substring of the name or the email, ignoring case and accents")
                .query("limit", S.integer(min: 1, max: 200), "page size (default 50)")
                .query("before", S.id, "the nextBefore of the previous page")
                .responds(200, "a page; with q it may hold fewer than limit and still name where to continue",
                          S.list(S.ref("Customer"), extra: ["nextBefore": S.nullable(S.id)])),
            op("get", "/api/customers/{id}", id: "getCustomer", "A customer", tag: "Customers", nil)
                .responds(200, "the customer", S.ref("Customer")),
            op("patch", "/api/customers/{id}", id: "updateCustomer", "Change a customer: only the fields sent", tag: "Customers", .invoicesWrite)
                .body(S.body(["name": S.string(min: 1, max: 200), "email": S.string(max: 254, format: "email"),
                              "preferences": S.body(OpenAPIComponents.preferenceFields),
                              "address": S.nullable(S.body(OpenAPIComponents.addressFields, required: ["lines", "city", "country"])),
                              "vatId": S.nullable(S.string(min: 4, max: 40)), "buyerReference": S.nullable(S.string(min: 1, max: 100))]),
                      example: ["email": "payables@acme.example", "preferences": ["marketing": true]])
                .responds(200, "the customer", S.ref("Customer"))
                .fails(409, "customer_erased: an erased customer's name and email cannot be set again"),
            op("delete", "/api/customers/{id}", id: "deleteCustomer", "Delete a customer that has no invoices and no sales orders",
               tag: "Customers", .invoicesWrite)
                .responds(204, "deleted")
                .fails(409, "customer_has_invoices or customer_has_sales_orders: erase it instead"),
            op("post", "/api/customers/{id}/erase", id: "eraseCustomer",
               "Erase a customer's personal data (name, email, view addresses); its invoices stay and its links stop",
               tag: "Customers", .invoicesManage)
                .responds(200, "the customer with placeholders and erasedAt", S.ref("Customer")),
            op("post", "/api/customers/{id}/email", id: "emailCustomer", "Email the customer a portal link or the tenant's own text", tag: "Customers",
               .invoicesManage)
                .body(S.body(["category": S.string(oneOf: ["portal", "marketing"]), "subject": S.nullable(S.string(min: 1, max: 200, "marketing only")),
                              "message": S.nullable(S.string(min: 1, max: 5000, "marketing: required, at most 5000; portal: an optional note of at most 2000")),
                              "revokeExisting": S.nullable(S.boolean)], required: ["category"]),
                      example: ["category": "portal", "revokeExisting": true])
                .responds(202, "queued", S.object(["jobId": S.id, "existingPortalLinks": S.string(oneOf: ["revoked", "kept"], "portal emails only")],
                                                  required: ["jobId"]),
                          headers: ["Location": S.string("/api/jobs/{jobId}")])
                .fails(409, "not_enqueued"),
            op("get", "/api/customers/{id}/emails", id: "listCustomerEmails", "The customer's email log, every category", tag: "Customers", nil)
                .responds(200, "the log", S.list(S.ref("EmailLogEntry"))),
            op("post", "/api/customers/{id}/portal-token", id: "createPortalToken", "A new portal token for the customer (the old one stops)",
               tag: "Portal", .invoicesManage)
                .responds(201, "the token, shown this once", S.object([
                    "token": S.string(), "url": S.string(format: "uri"), "createdAt": S.timestamp, "expiresAt": S.timestamp,
                ], required: ["token", "url", "createdAt", "expiresAt"])),
            op("delete", "/api/customers/{id}/portal-token", id: "revokePortalToken", "Revoke the customer's portal token", tag: "Portal", .invoicesManage)
                .responds(204, "revoked"),
            op("get", "/api/portal-tokens", id: "listPortalTokens", "The tenant's portal tokens (never the tokens themselves)", tag: "Portal", nil)
                .query("limit", S.integer(min: 1, max: 1000), "at most this many (default 100)")
                .responds(200, "the tokens", S.list(S.object([
                    "customerId": S.id, "createdAt": S.timestamp, "expiresAt": S.timestamp,
                    "status": S.string(oneOf: ["active", "expired", "revoked"]),
                ], required: ["customerId", "createdAt", "expiresAt", "status"]))),
            op("post", "/api/sales-orders", id: "createSalesOrder", "Create a sales order shown in the customer's portal", tag: "Sales orders",
               .invoicesWrite)
                .body(S.body(["customerId": S.id, "number": S.string(min: 1, max: 64), "status": S.nullable(S.string(oneOf: OpenAPIComponents.salesOrderStatuses)),
                              "currency": S.currency, "total": S.integer(min: 0, max: 1_000_000_000_000_000), "orderDate": S.date,
                              "expectedDate": S.nullable(S.date)], required: ["customerId", "number", "currency", "total", "orderDate"]),
                      example: ["customerId": 1, "number": "SO-1001", "currency": "EUR", "total": 125000, "orderDate": "2026-12-01",
                                "expectedDate": "2026-12-20"])
                .responds(201, "the sales order", S.ref("SalesOrder"))
                .fails(409, "duplicate_number"),
            op("get", "/api/sales-orders", id: "listSalesOrders", "Sales orders, newest first", tag: "Sales orders", nil)
                .query("customerId", S.id, "only this customer's orders")
                .query("limit", S.integer(min: 1, max: 200), "page size (default 50)")
                .query("before", S.id, "the nextBefore of the previous page")
                .responds(200, "a page", S.list(S.ref("SalesOrder"), extra: ["nextBefore": S.nullable(S.id)])),
            op("get", "/api/sales-orders/{id}", id: "getSalesOrder", "A sales order", tag: "Sales orders", nil)
                .responds(200, "the sales order", S.ref("SalesOrder")),
            op("put", "/api/sales-orders/{id}/status", id: "setSalesOrderStatus", "Change a sales order's status", tag: "Sales orders", .invoicesWrite)
                .body(S.body(["status": S.string(oneOf: OpenAPIComponents.salesOrderStatuses)], required: ["status"]), example: ["status": "confirmed"])
                .responds(200, "the sales order", S.ref("SalesOrder")),
            op("get", "/api/messages", id: "listMessages", "Messages customers wrote from their portal, newest first", tag: "Portal", nil)
                .query("unread", S.boolean, "only unread ones")
                .query("limit", S.integer(min: 1, max: 1000), "at most this many (default 100)")
                .responds(200, "the inbox", S.list(S.object([
                    "id": S.id, "customerId": S.id, "customerName": S.string(), "message": S.string(), "createdAt": S.timestamp,
                    "readAt": S.timestamp,
                ], required: ["id", "customerId", "customerName", "message", "createdAt"]))),
            op("post", "/api/messages/{id}/read", id: "markMessageRead", "Mark a message read", tag: "Portal", .invoicesWrite)
                .responds(204, "marked"),
            op("get", "/api/jobs/{id}", id: "getJob", "The state of queued work the tenant caused", tag: "Jobs", nil)
                .responds(200, "the job", S.object([
                    "id": S.id, "kind": S.string(), "state": S.string(), "attempts": S.integer(min: 0), "maxAttempts": S.integer(min: 0),
                    "lastError": S.string(), "createdAt": S.timestamp, "finishedAt": S.timestamp,
                ], required: ["id", "kind", "state", "attempts", "maxAttempts", "createdAt"])),
        ]
    }
}
