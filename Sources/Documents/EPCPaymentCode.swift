import Billing
import QRCode

/// The EPC "GiroCode" an invoice shows so that a banking app fills in the transfer: only for an
/// issued receivable in EUR with something due and a bank account to pay to; the amount is what
/// is due now, the remittance the invoice number.
public enum EPCPaymentCode {
    /// What the page and the PDF print under the code.
    public static let caption = "Scan to pay with your banking app"

    public static func matrix(for invoice: Invoice, account: BankAccount?) -> QRMatrix? {
        guard invoice.type == .ar, invoice.status == .issued, invoice.currency.code == "EUR", invoice.amountDue > 0, let account,
              let text = EPCPaymentText(beneficiaryName: account.holder, iban: account.iban.value, bic: account.bic?.value,
                                        amountMinorUnits: invoice.amountDue, remittance: invoice.number) else { return nil }
        // A valid EPC text always fits version 13 at level M, as the guideline requires.
        return try? QREncoder.encode(text.bytes, correction: .medium, maximumVersion: 13)
    }
}
