/// The routes under `/api/` a buyer's browser calls with the token of a link (no API token),
/// the health checks, and this document. The HTML pages (`/invoice/…`, `/portal/…`,
/// `/preferences/…`, `/unsubscribe/…`, `/pay/…`), their stylesheets and the payment provider's
/// webhook are not part of the API and are left out.
enum PublicOperations {
    typealias S = Schema

    static func op(_ method: String, _ path: String, id: String, _ summary: String, tag: String = "Buyer") -> APIOperation {
        APIOperation(method, path, id: id, summary, tag: tag, access: .publicLink)
    }

    static var operations: [APIOperation] {
        let preferences = S.object(OpenAPIComponents.preferenceFields.merging(["vendorName": S.string()]) { _, new in new },
                                   required: ["vendorName", "document", "reminder", "marketing"])
        let portalGate: (APIOperation) -> APIOperation = {
            $0.fails(403, "access_denied: the portal link has expired; portal_unavailable: the tenant switched the portal off")
        }
        return [
            op("get", "/api/invoices/view/{token}", id: "viewSharedInvoice", "The shared invoice: vendor, number, amounts, dates, status")
                .responds(200, "the invoice as the buyer sees it", S.object([
                    "amountDue": S.integer(), "currency": S.string(), "deliveryStatus": S.string(), "dueDate": S.date,
                    "invoiceNumber": S.string(), "issueDate": S.date, "status": S.string(), "vendorName": S.string(),
                ], required: ["amountDue", "currency", "deliveryStatus", "dueDate", "invoiceNumber", "issueDate", "status", "vendorName"])),
            op("get", "/api/invoices/view/{token}/pdf", id: "sharedInvoicePDF", "The shared invoice's PDF")
                .respondsPDF("the PDF (Content-Disposition: attachment)")
                .fails(503, "pdf_busy (Retry-After)"),
            op("get", "/api/public/billing/invoices/{publicId}/pdf", id: "portalInvoicePDF", "An invoice PDF of the portal, with a media token")
                .requiredQuery("t", S.string(min: 1, max: 1024), "the media token from GET /api/auth/media/customer")
                .respondsPDF("the PDF")
                .fails(401, "unauthorized: a missing, invalid or expired media token")
                .fails(403, "portal_unavailable: the tenant switched the portal off")
                .fails(503, "pdf_busy (Retry-After)"),
            op("get", "/api/public/billing/invoices/{publicId}/pdfByToken", id: "paidInvoicePDF",
               "The PDF for a guest who just paid: only that invoice, once confirmed, for 24 hours")
                .requiredQuery("token", S.string(min: 4, max: 255, pattern: "^cs_[A-Za-z0-9_]+$"), "the checkout session id")
                .respondsPDF("the PDF")
                .fails(503, "pdf_busy (Retry-After)"),
            portalGate(op("get", "/api/auth/media/customer", id: "mediaToken", "A media token (60 s) for the portal's PDFs")
                .header("Authorization", S.string(max: 100, pattern: "^Bearer [A-Za-z0-9_-]{43}$"), "Bearer and the portal token", required: true)
                .responds(200, "the media token", S.object(["jwt": S.string()], required: ["jwt"]))
                .fails(401, "unauthorized: no portal token, or one that is unknown or revoked")),
            portalGate(op("get", "/api/portal/{token}", id: "portal", "The customer's portal: balances, statement, invoices, sales orders")
                .query("limit", S.integer(min: 1, max: 100), "invoices per page (default 20)")
                .query("before", S.publicID, "the nextCursor of the previous page")
                .query("offset", S.integer(min: 0, max: 1_000_000), "older paging; costs in proportion to the offset")
                .responds(200, "the portal", portal)),
            portalGate(op("post", "/api/portal/{token}/messages", id: "leavePortalMessage", "A message to the tenant")
                .body(S.body(["message": S.string(min: 1, max: 2000)], required: ["message"]), example: ["message": "Could you send a copy to our AP team?"])
                .responds(201, "sent", S.object(["createdAt": S.timestamp], required: ["createdAt"]))
                .fails(409, "messages_disabled: the tenant does not take messages")
                .fails(429, "message_quota_exceeded or rate_limited (Retry-After)")),
            op("get", "/api/preferences/{token}", id: "getPreferences", "The customer's mail preferences (the token from any email)")
                .responds(200, "the three toggles", preferences)
                .fails(400, "invalid_token: not the 43-character token from the email"),
            op("put", "/api/preferences/{token}", id: "setPreferences", "Change some of the three toggles")
                .body(S.body(OpenAPIComponents.preferenceFields), example: ["marketing": false])
                .responds(200, "the three toggles", preferences)
                .fails(400, "invalid_json, or invalid_token"),
            APIOperation("get", "/healthz", id: "health", "Liveness", tag: "Operations", access: .operations)
                .responds(200, "alive", S.object(["status": S.string()], required: ["status"])),
            APIOperation("get", "/readyz", id: "ready", "Readiness: the database answers", tag: "Operations", access: .operations)
                .responds(200, "ready", S.object(["status": S.string()], required: ["status"]))
                .fails(503, "not_ready"),
            APIOperation("get", "/api/openapi.json", id: "openAPI", "This document", tag: "Operations", access: .operations)
                .responds(200, "the OpenAPI 3.1 document", ["type": "object"]),
        ]
    }

    static var portal: OpenAPIValue {
        let line = S.object([
            "publicId": S.string(), "number": S.string(), "issueDate": S.date, "dueDate": S.date, "status": S.string(), "currency": S.string(),
            "total": S.integer(), "amountDue": S.integer(), "amountOverpaid": S.integer(min: 0), "overdue": S.boolean, "pdfUrl": S.string(),
            "payable": S.boolean,
        ], required: ["publicId", "number", "issueDate", "dueDate", "status", "currency", "total", "amountDue", "amountOverpaid", "overdue",
                      "pdfUrl", "payable"])
        let balance = S.object(["currency": S.string(), "outstanding": S.integer(), "overdue": S.integer()],
                               required: ["currency", "outstanding", "overdue"])
        let agingFields = ["currency", "outstanding", "overdue", "current", "days1to30", "days31to60", "days61to90", "over90"]
        let aging = S.object(Dictionary(uniqueKeysWithValues: agingFields.map { ($0, $0 == "currency" ? S.string() : S.integer()) }),
                             required: agingFields)
        return S.object([
            "vendorName": S.string(), "brandColor": S.string(), "customerName": S.string(), "welcomeMessage": S.string(),
            "overdue": S.boolean, "balances": S.array(balance),
            "creditNotes": S.array(S.object(["publicId": S.string(), "number": S.string(), "issueDate": S.date, "invoiceNumber": S.string(),
                                             "currency": S.string(), "credited": S.integer(),
                                             "hasDocument": S.boolean],
                                            required: ["publicId", "number", "issueDate", "invoiceNumber", "currency", "credited", "hasDocument"])),
            "salesOrders": S.array(S.object(["number": S.string(), "status": S.string(), "orderDate": S.date, "expectedDate": S.date,
                                             "currency": S.string(), "total": S.integer()],
                                            required: ["number", "status", "orderDate", "currency", "total"])),
            "statement": S.object(["asOf": S.date, "balances": S.array(aging)], required: ["asOf", "balances"]),
            "messagesEnabled": S.boolean, "invoices": S.array(line), "nextOffset": S.integer(min: 0), "nextCursor": S.string(),
        ], required: ["vendorName", "brandColor", "customerName", "overdue", "balances", "messagesEnabled", "invoices"])
    }
}
