// libFuzzer entry point for the JSON bodies tenants (and buyers) send. Built by
// Fuzz/run.sh together with the pure request types and their validation (Sources/Billing,
// Sources/API/PaymentSettingsUpdate.swift, …) into one module; the imports those files name are
// empty stand-in modules there.
//
// Every input is decoded into every request type and each decoded value is validated. The
// invariants: nothing traps (overflow, out-of-range index, force unwrap), and every failure is
// an error value: a `DecodingError` naming a field, or a `FieldError` naming one the request
// has. Any broken invariant calls `fatalError`, which libFuzzer reports as a crash.
import Foundation

/// Currencies with 0, 2, 3 and 4 decimals.
let currencies = ["JPY", "EUR", "KWD", "CLF"].compactMap { Currency(code: $0) }

/// Called by libFuzzer once per input; always returns 0 (a broken invariant traps instead).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONBody(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    let decoder = JSONDecoder()

    check(decoder, bytes, CreateInvoiceRequest.self) { request in
        ["customerId", "type", "number", "currency", "issueDate", "dueDate", "notes", "lines", "minimumPaymentAmount"]
            + request.lines.indices.flatMap { ["lines[\($0)]", "lines[\($0)].description", "lines[\($0)].quantity", "lines[\($0)].unitPrice", "lines[\($0)].taxRate"] }
    } validate: { request in
        let draft = try InvoiceDraft.validate(request)
        require(draft.lines.count == request.lines.count, "a valid draft lost lines")
        require(draft.totals.total >= 0, "negative total: \(draft.totals.total)")
        _ = Money(minorUnits: draft.totals.total, currency: draft.currency).formatted
    }
    check(decoder, bytes, SalesOrderDraft.self) { _ in ["number", "total", "expectedDate"] } validate: { try $0.validate() }
    check(decoder, bytes, PaymentSettingsUpdate.self) { update in
        ["plan", "secretKey", "webhookSecrets"] + (update.webhookSecrets ?? []).indices.map { "webhookSecrets[\($0)]" }
    } validate: { update in
        let next = try update.applied(to: PaymentSettings())
        if let key = next.secretKey { require(StripeSecretKey(key).isWellFormed, "accepted a malformed key") }
        require(next.webhookSecrets.count <= 5, "accepted more than 5 webhook secrets")
    }
    check(decoder, bytes, CustomerMessageBody.self) { _ in ["message"] } validate: { body in
        let text = try CustomerMessage.validated(body.message)
        require(!text.isEmpty && text.count <= CustomerMessage.maximumLength, "accepted a message of \(text.count) characters")
    }
    check(decoder, bytes, PayBody.self) { _ in [] } validate: { body in
        // The pay form's amount in major units: parsing and showing it never trap.
        for currency in currencies {
            for text in [body.text, body.amount.map(String.init)].compactMap({ $0 }) {
                if let minor = Money.minorUnits(parsing: text, currency: currency) {
                    _ = Money(minorUnits: minor, currency: currency).formatted
                }
            }
        }
    }
    // The other bodies of the tenant API, as their routes declare them (local types there).
    check(decoder, bytes, CreateCustomerBody.self) { _ in [] } validate: { _ in }
    check(decoder, bytes, SendEmailBody.self) { _ in [] } validate: { _ in }
    check(decoder, bytes, SalesOrderStatusBody.self) { _ in [] } validate: { _ in }
    check(decoder, bytes, CreditNoteBody.self) { _ in [] } validate: { _ in }
    check(decoder, bytes, PortalSettingsBody.self) { _ in [] } validate: { _ in }
    check(decoder, bytes, [String: Bool].self) { _ in [] } validate: { _ in }
    return 0
}

/// Decodes `bytes` as `T`, then `validate`s it. A decoding failure must be a `DecodingError`
/// (described without trapping); a validation failure a `FieldError` naming one of `fields`.
func check<T: Decodable>(_ decoder: JSONDecoder, _ bytes: Data, _ type: T.Type, fields: (T) -> [String],
                         validate: (T) throws -> Void) {
    let value: T
    do {
        value = try decoder.decode(T.self, from: bytes)
    } catch let error as DecodingError {
        _ = DecodingErrorText.describe(error)
        return
    } catch {
        fatalError("\(T.self): decoding failed with something other than a DecodingError: \(error)")
    }
    do {
        try validate(value)
    } catch let error as FieldError {
        require(fields(value).contains(error.field), "\(T.self): the error names '\(error.field)', a field the request does not have")
    } catch {
        fatalError("\(T.self): validation failed with something other than a FieldError: \(error)")
    }
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

/// `POST /api/customers`.
struct CreateCustomerBody: Decodable { let name: String; let email: String; let preferences: Customer.Preferences? }
/// `POST /api/invoices/{id}/send` and `/email`.
struct SendEmailBody: Decodable { let category: EmailCategory?; let recipients: [String]?; let subject: String?; let message: String? }
/// `PUT /api/sales-orders/{id}/status`.
struct SalesOrderStatusBody: Decodable { let status: SalesOrderStatus }
/// `POST /api/invoices/{id}/credit-notes`.
struct CreditNoteBody: Decodable { let number: String; let amount: Int64; let reason: String? }
/// `PUT /api/settings/portal`.
struct PortalSettingsBody: Decodable {
    let enabled: Bool?, tokenExpiryDays: Int?, showCreditNotes: Bool?, showStatement: Bool?, showSalesOrders: Bool?
    let allowMessages: Bool?, welcomeMessage: String?
}
/// `POST /api/portal/{token}/messages`.
struct CustomerMessageBody: Decodable { let message: String }
/// `POST …/pay` as JSON (`amount` in minor units); `text` stands in for the form's major units.
struct PayBody: Decodable { let amount: Int64?; let text: String? }
