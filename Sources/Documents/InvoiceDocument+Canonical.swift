import Billing
import Foundation

extension InvoiceDocument {
    /// Every field of the document the page prints, in a fixed order: the part of a sheet's cache
    /// key that makes a new PDF when an address, a VAT id or a bank account changes.
    var canonicalParts: [String] {
        var parts: [String] = [
            kind.typeCode, number, issueDate.description, dueDate?.description ?? "", currency.code, buyerReference ?? "",
            paymentTerms ?? "", note ?? "", String(amountPaid),
            correctedInvoice.map { "\($0.number) \($0.issueDate)" } ?? "",
            bankAccount.map { "\($0.holder) \($0.iban.value) \($0.bic?.value ?? "")" } ?? "",
        ]
        switch supply {
        case .date(let day): parts.append("supply \(day)")
        case .period(let start, let end): parts.append("period \(start) \(end)")
        case nil: parts.append("")
        }
        for party in [seller, buyer] {
            parts += [party.name, party.address?.lines.joined(separator: "\n") ?? "", party.address?.postalCode ?? "",
                      party.address?.city ?? "", party.address?.country.code ?? "", party.vatID?.value ?? "", party.taxNumber ?? "",
                      party.registration ?? "", party.contactName ?? "", party.phone ?? "", party.email ?? ""]
        }
        for line in lines {
            parts += [line.description, String(line.quantity.tenThousandths), String(line.unitPrice), String(line.taxRate.hundredthsOfPercent),
                      String(line.net), line.unitCode.code, line.vatCategory.rawValue, line.exemptionReason ?? ""]
        }
        for entry in allowanceCharges {
            parts += [entry.kind.rawValue, String(entry.amount), entry.reason, entry.vatCategory.rawValue, String(entry.taxRate.hundredthsOfPercent)]
        }
        parts += [String(totals.subtotal), String(totals.allowanceTotal), String(totals.chargeTotal), String(totals.taxTotal), String(totals.total)]
        for tax in totals.taxes {
            parts += [tax.category.rawValue, String(tax.rate.hundredthsOfPercent), String(tax.base), String(tax.amount), tax.exemptionReason ?? ""]
        }
        return parts
    }
}

/// The cache key text of a sheet: its parts joined by a separator no part contains.
enum CanonicalText {
    static func join(_ parts: [String]) -> String {
        parts.map { $0.replacingOccurrences(of: "\u{1F}", with: " ") }.joined(separator: "\u{1F}")
    }
}
