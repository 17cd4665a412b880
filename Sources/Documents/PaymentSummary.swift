import Billing

/// The rows under an invoice's total, the same on the page and in the PDF: what was paid and
/// credited, any overpayment to refund, and what is still due. Every amount is shown as the
/// positive figure it is; money beyond the total is its own "Overpaid" row, so an invoice paid
/// twice never reads "Amount paid −130.00" on a 100.00 total.
enum PaymentSummary {
    struct Row: Equatable {
        let label: String
        let amount: Int64
        /// The closing "Amount due" row, set apart.
        let emphasised: Bool
    }

    static func rows(of invoice: Invoice) -> [Row] {
        var rows: [Row] = []
        if invoice.amountPaid > 0 { rows.append(Row(label: "Amount paid", amount: invoice.amountPaid, emphasised: false)) }
        if invoice.amountCredited > 0 { rows.append(Row(label: "Credited", amount: invoice.amountCredited, emphasised: false)) }
        if invoice.amountOverpaid > 0 {
            rows.append(Row(label: "Overpaid, to be refunded", amount: invoice.amountOverpaid, emphasised: false))
        }
        rows.append(Row(label: "Amount due", amount: invoice.amountDue, emphasised: true))
        return rows
    }
}
