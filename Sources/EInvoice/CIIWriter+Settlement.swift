import Billing
import BillportCore

/// The header's settlement: how to pay, the VAT breakdown, allowances and charges, terms, totals
/// and the invoice a credit note corrects.
extension CIIDocumentWriter {
    mutating func writeSettlement() {
        xml.open("ram:ApplicableHeaderTradeSettlement")
        if document.kind == .invoice, document.bankAccount != nil { xml.element("ram:PaymentReference", document.number) }
        xml.element("ram:InvoiceCurrencyCode", document.currency.code)
        if let account = document.bankAccount { writePaymentMeans(account) }
        for tax in document.totals.taxes { writeTax(tax) }
        if case .period(let start, let end)? = document.supply {
            xml.open("ram:BillingSpecifiedPeriod")
            dateTime("ram:StartDateTime", start)
            dateTime("ram:EndDateTime", end)
            xml.close("ram:BillingSpecifiedPeriod")
        }
        for allowanceCharge in document.allowanceCharges { writeAllowanceCharge(allowanceCharge) }
        writePaymentTerms()
        writeSummation()
        if let corrected = document.correctedInvoice {
            xml.open("ram:InvoiceReferencedDocument")
            xml.element("ram:IssuerAssignedID", corrected.number)
            xml.open("ram:FormattedIssueDateTime")
            xml.element("qdt:DateTimeString", attribute: "format", value: "102", CIINumbers.date(corrected.issueDate))
            xml.close("ram:FormattedIssueDateTime")
            xml.close("ram:InvoiceReferencedDocument")
        }
        xml.close("ram:ApplicableHeaderTradeSettlement")
    }

    /// A credit transfer to the seller's account: SEPA (58) in euros, any other transfer (30) otherwise.
    private mutating func writePaymentMeans(_ account: BankAccount) {
        xml.open("ram:SpecifiedTradeSettlementPaymentMeans")
        xml.element("ram:TypeCode", document.currency.code == "EUR" ? "58" : "30")
        xml.open("ram:PayeePartyCreditorFinancialAccount")
        xml.element("ram:IBANID", account.iban.value)
        xml.element("ram:AccountName", account.holder)
        xml.close("ram:PayeePartyCreditorFinancialAccount")
        if let bic = account.bic { xml.element("ram:PayeeSpecifiedCreditorFinancialInstitution", "ram:BICID", bic.value) }
        xml.close("ram:SpecifiedTradeSettlementPaymentMeans")
    }

    /// One row of the VAT breakdown (BG-23), with the exemption reason and its VATEX code where
    /// the category needs them.
    private mutating func writeTax(_ tax: TaxLine) {
        xml.open("ram:ApplicableTradeTax")
        xml.element("ram:CalculatedAmount", amount(tax.amount))
        xml.element("ram:TypeCode", "VAT")
        if tax.category.needsExemptionReason, let reason = tax.exemptionReason ?? tax.category.defaultExemptionReason {
            xml.element("ram:ExemptionReason", reason)
        }
        xml.element("ram:BasisAmount", amount(tax.base))
        xml.element("ram:CategoryCode", tax.category.rawValue)
        if let code = tax.category.exemptionReasonCode { xml.element("ram:ExemptionReasonCode", code) }
        rate(tax.rate, category: tax.category)
        xml.close("ram:ApplicableTradeTax")
    }

    private mutating func writeAllowanceCharge(_ allowanceCharge: AllowanceCharge) {
        xml.open("ram:SpecifiedTradeAllowanceCharge")
        xml.element("ram:ChargeIndicator", "udt:Indicator", allowanceCharge.kind == .charge ? "true" : "false")
        xml.element("ram:ActualAmount", amount(allowanceCharge.amount))
        xml.element("ram:Reason", allowanceCharge.reason)
        categoryTax("ram:CategoryTradeTax", allowanceCharge.vatCategory, allowanceCharge.taxRate)
        xml.close("ram:SpecifiedTradeAllowanceCharge")
    }

    private mutating func writePaymentTerms() {
        guard document.paymentTerms != nil || document.dueDate != nil else { return }
        xml.open("ram:SpecifiedTradePaymentTerms")
        if let terms = document.paymentTerms { xml.element("ram:Description", terms) }
        if let due = document.dueDate { dateTime("ram:DueDateDateTime", due) }
        xml.close("ram:SpecifiedTradePaymentTerms")
    }

    /// The document totals (BG-22). Amounts are written at the invoice precision and the amount
    /// due is derived from the written total and prepaid amount, so BR-CO-16 holds even when a
    /// payment was recorded in a finer unit (KWD fils).
    private mutating func writeSummation() {
        let totals = document.totals
        let step = document.currency.amountStep
        let paid = InvoiceMath.roundedDivision(Int128(max(0, document.amountPaid)), by: Int128(step)) * Int128(step)
        let due = Int128(totals.total) - paid
        xml.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
        xml.element("ram:LineTotalAmount", amount(totals.subtotal))
        if !document.allowanceCharges.isEmpty {
            xml.element("ram:ChargeTotalAmount", amount(totals.chargeTotal))
            xml.element("ram:AllowanceTotalAmount", amount(totals.allowanceTotal))
        }
        xml.element("ram:TaxBasisTotalAmount", amount(totals.taxBasis))
        xml.element("ram:TaxTotalAmount", attribute: "currencyID", value: document.currency.code, amount(totals.taxTotal))
        xml.element("ram:GrandTotalAmount", amount(totals.total))
        if paid > 0 { xml.element("ram:TotalPrepaidAmount", amount(Int64(clamping: paid))) }
        xml.element("ram:DuePayableAmount", amount(Int64(clamping: due)))
        xml.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    }
}
