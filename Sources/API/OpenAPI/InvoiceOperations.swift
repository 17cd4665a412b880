import Tokens

/// `/api/invoices…`: invoices, their credit notes, share links, PDF, emails and payments.
enum InvoiceOperations {
    typealias S = Schema
    static let tag = "Invoices"

    static func op(_ method: String, _ path: String, id: String, _ summary: String, _ permission: Permission?) -> APIOperation {
        APIOperation(method, path, id: id, summary, tag: tag, access: .tenant(permission))
    }

    static var operations: [APIOperation] {
        [
            op("post", "/api/invoices", id: "createInvoice", "Create a draft invoice; totals are computed by the server", .invoicesWrite)
                .body(create, example: createExample)
                .responds(201, "the draft", S.ref("Invoice"))
                .fails(409, "duplicate_number: the number is already used"),
            op("get", "/api/invoices", id: "listInvoices", "Invoices, newest first; filters combine", nil)
                .query("status", S.string(oneOf: ["draft", "issued", "paid", "cancelled"]), "only invoices in this status")
                .query("customerId", S.id, "only this customer's invoices")
                .query("dueBefore", S.date, "due strictly before this date")
                .query("dueAfter", S.date, "due strictly after this date")
                .query("limit", S.integer(min: 1, max: 200), "page size (default 50)")
                .query("before", S.id, "the nextBefore of the previous page")
                .responds(200, "a page", S.list(S.ref("Invoice"), extra: ["nextBefore": S.nullable(S.id)])),
            op("get", "/api/invoices/{id}", id: "getInvoice", "An invoice with its view statistics and payments", nil)
                .responds(200, "the invoice", S.ref("Invoice")),
            op("get", "/api/invoices/{id}/views", id: "listInvoiceViews", "Every recorded opening of the invoice, newest first", nil)
                .query("limit", S.integer(min: 1, max: 1000), "at most this many (default 100)")
                .responds(200, "the view log", S.list(S.object([
                    "viewedAt": S.timestamp, "source": S.string(), "ip": S.string(), "userAgent": S.string(), "counted": S.boolean,
                ], required: ["viewedAt", "source", "ip", "counted"]))),
            change("patch", id: "updateInvoice"),
            change("put", id: "replaceInvoiceFields"),
            op("post", "/api/invoices/{id}/issue", id: "issueInvoice", "Issue a draft: lines and amounts are fixed from then on", .invoicesWrite)
                .responds(200, "the issued invoice", S.ref("Invoice"))
                .fails(409, "invalid_status: only a draft can be issued"),
            op("post", "/api/invoices/{id}/cancel", id: "cancelInvoice", "Cancel an invoice; every link to it stops", .invoicesWrite)
                .responds(200, "the cancelled invoice", S.ref("Invoice"))
                .fails(409, "invalid_status: the invoice cannot be cancelled in its status"),
            op("post", "/api/invoices/{id}/credit-notes", id: "createCreditNote",
               "A credit note against an issued invoice: lines, or an amount split at the invoice's one VAT rate", .invoicesWrite)
                .body(S.body(["number": S.string(min: 1, max: 64),
                              "amount": S.nullable(S.integer(min: 1, max: 1_000_000_000_000_000, "gross; with lines it must equal their total")),
                              "reason": S.nullable(S.string(min: 1, max: 500)), "issueDate": S.nullable(S.date),
                              "lines": S.nullable(S.array(line, min: 1, max: 500))], required: ["number"]),
                      example: ["number": "CN-2026-001", "amount": 5000, "reason": "Discount agreed by phone"])
                .responds(201, "the credit note", S.ref("CreditNote"))
                .fails(409, "invalid_status or duplicate_number"),
            op("get", "/api/invoices/{id}/credit-notes", id: "listCreditNotes", "The invoice's credit notes", nil)
                .responds(200, "the credit notes", S.list(S.ref("CreditNote"))),
            op("put", "/api/invoices/{id}/delivery-status", id: "setDeliveryStatus", "Record an invoice delivered outside Billport", .invoicesWrite)
                .body(S.body(["deliveryStatus": S.string(oneOf: ["sent", "not_sent"])], required: ["deliveryStatus"]),
                      example: ["deliveryStatus": "sent"])
                .responds(200, "the invoice", S.ref("Invoice"))
                .fails(409, "invalid_status"),
            op("post", "/api/invoices/{id}/share", id: "shareInvoice", "The buyer's share link", .invoicesManage)
                .query("regenerate", S.boolean, "a new token; the old one stops at once")
                .responds(201, "a new link: the token is shown this once", share)
                .responds(200, "already shared: no token", share)
                .fails(409, "invalid_status: a draft or cancelled invoice cannot be shared"),
            op("delete", "/api/invoices/{id}/share", id: "revokeInvoiceLinks", "Stop every public link to the invoice", .invoicesManage)
                .responds(204, "revoked"),
            op("get", "/api/invoices/{id}/pdf", id: "getInvoicePDF", "The tenant's copy of the invoice PDF", nil)
                .respondsPDF("the PDF")
                .fails(409, "invalid_status: a draft has no PDF")
                .fails(503, "pdf_busy: too many PDFs are being made (Retry-After)"),
            op("get", "/api/invoices/{id}/einvoice.xml", id: "getInvoiceEInvoice",
               "The EN 16931 e-invoice (CII XML, the one the PDF embeds as Factur-X)", nil)
                .respondsFile("the XML", mediaType: "application/xml")
                .fails(409, "einvoice_unavailable: the message says what is missing (company data, the customer's address, …)"),
            op("get", "/api/invoices/{id}/xrechnung.xml", id: "getInvoiceXRechnung", "The XRechnung 3.0 e-invoice (CII XML) for German public buyers", nil)
                .respondsFile("the XML", mediaType: "application/xml")
                .fails(409, "einvoice_unavailable: the message says what is missing (the buyer reference, the seller's contact, …)"),
            op("get", "/api/credit-notes/{id}/pdf", id: "getCreditNotePDF", "The credit note's PDF (PDF/A-3b with Factur-X when it has an e-invoice)", nil)
                .respondsPDF("the PDF")
                .fails(503, "pdf_busy: too many PDFs are being made (Retry-After)"),
            op("get", "/api/credit-notes/{id}/einvoice.xml", id: "getCreditNoteEInvoice", "The EN 16931 e-invoice of a credit note (type 381)", nil)
                .respondsFile("the XML", mediaType: "application/xml")
                .fails(409, "einvoice_unavailable: the message says what is missing"),
            op("post", "/api/invoices/{id}/send", id: "sendInvoice", "Email the invoice to the customer (or the recipients given)", .invoicesManage)
                .body(S.body(["recipients": S.nullable(S.array(S.string(format: "email"), min: 1, max: 10)), "message": S.nullable(S.string(max: 2000))]),
                      example: ["recipients": ["ap@example.com"], "message": "Thank you for your order."], required: false)
                .responds(202, "queued", S.ref("JobAccepted"), headers: ["Location": S.string("/api/jobs/{jobId}")])
                .fails(409, "invalid_status: drafts and cancelled invoices are not sent"),
            op("get", "/api/invoices/{id}/emails", id: "listInvoiceEmails", "The invoice's email log", nil)
                .responds(200, "sent, suppressed or failed, with the reason", S.list(S.ref("EmailLogEntry"))),
            op("get", "/api/invoices/{id}/payments", id: "listInvoicePayments", "The invoice's payments and their history", nil)
                .responds(200, "payments, oldest first, and every change each provider event made", S.list(S.ref("Payment"), extra: [
                    "history": S.array(S.object([
                        "at": S.timestamp, "eventId": S.string(), "action": S.string(), "amount": S.integer(), "detail": S.string(),
                    ], required: ["at", "eventId", "action"])),
                ])),
        ]
    }

    static var line: OpenAPIValue {
        S.body(["description": S.string(min: 1, max: 1000), "quantity": S.number(max: 99_999_999_999, exclusiveMin: 0, "at most 4 decimals"),
                "unitPrice": S.integer(min: 0, max: 1_000_000_000_000_000, "minor units"),
                "taxRate": S.nullable(S.number(min: 0, max: 100, "percent, at most 2 decimals (default 0)")),
                "unitCode": S.nullable(S.string(min: 1, max: 3, "UN/ECE Recommendation 20 (default C62, one)")),
                "vatCategory": S.nullable(OpenAPIComponents.vatCategory),
                "exemptionReason": S.nullable(S.string(min: 1, max: 300, "required for E; only for E, AE, K, G, O"))],
               required: ["description", "quantity", "unitPrice"])
    }

    static var allowanceCharge: OpenAPIValue {
        S.body(["kind": S.string(oneOf: ["allowance", "charge"]), "amount": S.integer(min: 1, max: 1_000_000_000_000_000, "minor units"),
                "reason": S.string(min: 1, max: 200), "vatCategory": S.nullable(OpenAPIComponents.vatCategory),
                "taxRate": S.nullable(S.number(min: 0, max: 100, "percent"))],
               required: ["kind", "amount", "reason"])
    }

    static var invoiceFields: [String: OpenAPIValue] {
        ["customerId": S.id, "type": S.string(oneOf: ["AR", "AP"], "AR (default): the tenant bills; AP: the tenant was billed"),
         "number": S.string(min: 1, max: 64), "currency": S.currency, "issueDate": S.date, "dueDate": S.date,
         "notes": S.string(max: 2000), "allowPartialPayments": S.boolean,
         "minimumPaymentAmount": S.integer(min: 1, "needs allowPartialPayments; at most the total"),
         "lines": S.array(line, min: 1, max: 500),
         "supplyDate": S.date, "servicePeriod": S.body(["start": S.date, "end": S.date], required: ["start", "end"]),
         "paymentTerms": S.string(min: 1, max: 500), "allowanceCharges": S.array(allowanceCharge, max: 20)]
    }

    /// On create, `null` is the same as leaving an optional field out.
    static var create: OpenAPIValue {
        var fields = invoiceFields
        for name in ["type", "notes", "allowPartialPayments", "minimumPaymentAmount", "supplyDate", "servicePeriod", "paymentTerms",
                     "allowanceCharges"] {
            fields[name] = fields[name].map(S.nullable)
        }
        return S.body(fields, required: ["customerId", "number", "currency", "issueDate", "dueDate", "lines"])
    }

    static var createExample: OpenAPIValue {
        ["customerId": 1, "number": "2026-0042", "currency": "EUR", "issueDate": "2026-12-01", "dueDate": "2026-12-31",
         "lines": [["description": "Consulting", "quantity": 12, "unitPrice": 9500, "taxRate": 19]]]
    }

    /// PATCH and PUT take the same partial change of a draft.
    static func change(_ method: String, id: String) -> APIOperation {
        var fields = invoiceFields
        fields["notes"] = S.nullable(S.string(max: 2000))
        fields["minimumPaymentAmount"] = S.nullable(S.integer(min: 1))
        for name in ["supplyDate", "servicePeriod", "paymentTerms"] { fields[name] = fields[name].map(S.nullable) }
        return op(method, "/api/invoices/{id}", id: id, "Change a draft: only the fields sent (lines, when sent, replace every line)", .invoicesWrite)
            .body(S.body(fields), example: ["dueDate": "2027-01-15", "notes": "Net 45 as agreed"])
            .responds(200, "the draft as changed", S.ref("Invoice"))
            .fails(409, "invalid_status: an issued invoice cannot change")
    }

    static var share: OpenAPIValue {
        S.object(["shareToken": S.nullable(S.string()), "shareUrl": S.nullable(S.string(format: "uri")), "alreadyShared": S.boolean,
                  "shareTokenCreatedAt": S.timestamp], required: ["shareToken", "shareUrl", "alreadyShared", "shareTokenCreatedAt"])
    }
}
