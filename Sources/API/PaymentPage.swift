import BillportCore
import Documents
import Foundation
import Billing

/// The pages around the hosted checkout: the confirmation a buyer lands on after paying, and
/// why a payment could not start.
enum PaymentPage {
    /// "Thank you" for a checkout Billport opened (any other id gets the bad-link page): the
    /// payment is being confirmed until the provider's event arrives; never "paid" on the
    /// redirect alone. It names the invoice and amount and, once the payment is confirmed,
    /// links the PDF.
    static func confirmation(_ record: CheckoutRecord, sessionID: String) -> String {
        var body = "<h1>Thank you</h1>"
        if let currency = Currency(code: record.currency) {
            let amount = HTML.escape(Money(minorUnits: record.amount, currency: currency).formatted)
            let invoice = HTML.escape(record.invoiceNumber)
            switch record.paymentState {
            case .succeeded:
                let pdf = "/api/public/billing/invoices/\(record.invoicePublicID)/pdfByToken?token=\(sessionID)"
                body += """
                    <p class="notice">Your payment of \(amount) for invoice \(invoice) to \(HTML.escape(record.vendorName)) has been received.</p>
                    <div class="actions"><a class="button primary" href="\(HTML.escape(pdf))" download>Download invoice PDF</a></div>
                    """
            case .failed:
                body += "<p>Your payment of \(amount) for invoice \(invoice) did not go through. Nothing was charged; you can try again from the invoice.</p>"
            case .pending, nil:
                body += """
                    <p>Your payment of \(amount) for invoice \(invoice) to \(HTML.escape(record.vendorName)) is being confirmed.
                    The invoice shows it as paid as soon as the payment provider confirms it — usually within a minute;
                    bank debits can take a few days. Reload this page to check.</p>
                    """
            }
        } else {
            body += "<p>Your payment is being confirmed. The invoice shows it as paid as soon as the payment provider confirms it.</p>"
        }
        return PlainPage.render(title: "Payment", body: body)
    }

    /// Why "Pay now" did not lead to a checkout.
    static func refusal(_ message: String) -> String {
        PlainPage.render(title: "Payment not started", body: "<h1>Payment not started</h1><p>\(HTML.escape(message))</p><p>Go back to the invoice to try again.</p>")
    }
}
