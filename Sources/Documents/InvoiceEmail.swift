import BillportCore
import Foundation
import Billing

/// The words of an email about an invoice, before MIME: subject, plain text and HTML.
public struct ComposedEmail: Sendable, Hashable {
    public let subject: String
    public let text: String
    public let html: String
}

/// Composes invoice and reminder emails (pure: no I/O), so their wording is tested without a
/// mail server. Every tenant and customer string is escaped in the HTML part.
public enum InvoiceEmail {
    /// `invoiceURL` is the recipient's own link; `preferencesURL` the page of their toggles.
    public static func compose(_ sheet: InvoiceSheet, category: EmailCategory, note: String?, reminderOffset: Int?,
                               invoiceURL: String, preferencesURL: String) -> ComposedEmail {
        let invoice = sheet.invoice
        let due = Money(minorUnits: invoice.amountDue, currency: invoice.currency).formatted
        let subject: String
        var opening: String
        switch category {
        case .reminder:
            let days = reminderOffset.map { $0 == 1 ? "1 day" : "\($0) days" }
            subject = "Reminder: invoice \(invoice.number) from \(sheet.vendorName) is overdue"
            opening = "invoice \(invoice.number) was due on \(invoice.dueDate)\(days.map { " (\($0) ago)" } ?? ""). \(due) is still open."
        case .document, .portal, .marketing:
            subject = "Invoice \(invoice.number) from \(sheet.vendorName)"
            opening = "please find invoice \(invoice.number) attached: \(due), due on \(invoice.dueDate)."
        }
        opening = "Hello \(sheet.customerName),\n\n" + opening.prefix(1).uppercased() + opening.dropFirst()
        let note = note.flatMap { $0.isEmpty ? nil : $0 }
        let text = """
            \(opening)
            \(note.map { "\n\($0)\n" } ?? "")
            View it online: \(invoiceURL)

            \(sheet.vendorName)

            --
            Choose which emails you receive: \(preferencesURL)
            """
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(HTML.escape(subject))</title></head>
            <body style="font-family:sans-serif;color:#1a1b1f;line-height:1.5">
            <p>\(HTML.escape(opening).replacingOccurrences(of: "\n", with: "<br>"))</p>
            \(note.map { "<p style=\"white-space:pre-wrap\">\(HTML.escape($0))</p>" } ?? "")
            <p><a href="\(HTML.escape(invoiceURL))" style="display:inline-block;padding:10px 18px;border-radius:8px;color:#fff;\
            background:\(sheet.branding.brandColor.flatMap { Branding.isValidColor($0) ? $0 : nil } ?? InvoicePage.defaultBrand);\
            text-decoration:none;font-weight:600">View invoice</a></p>
            <p>\(HTML.escape(sheet.vendorName))</p>
            <p style="color:#8a8d93;font-size:12px"><a href="\(HTML.escape(preferencesURL))" style="color:#8a8d93">Choose which emails you receive</a></p>
            </body></html>
            """
        return ComposedEmail(subject: subject, text: text, html: html)
    }

    /// A message about the customer rather than one invoice: the portal link (`portalURL`), or
    /// the tenant's own marketing text (`subject`, `note`).
    public static func composeForCustomer(vendorName: String, customerName: String, category: EmailCategory, subject: String?,
                                          note: String?, portalURL: String?, preferencesURL: String) -> ComposedEmail {
        let title = subject ?? (category == .portal ? "Your account with \(vendorName)" : "News from \(vendorName)")
        var paragraphs = ["Hello \(customerName),"]
        if let note, !note.isEmpty { paragraphs.append(note) }
        if portalURL != nil {
            paragraphs.append("Your invoices, balance and statement are here (the link is personal; please do not forward it):")
        }
        let text = paragraphs.joined(separator: "\n\n") + (portalURL.map { "\n\($0)" } ?? "")
            + "\n\n\(vendorName)\n\n--\nChoose which emails you receive: \(preferencesURL)\n"
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(HTML.escape(title))</title></head>
            <body style="font-family:sans-serif;color:#1a1b1f;line-height:1.5">
            \(paragraphs.map { "<p style=\"white-space:pre-wrap\">\(HTML.escape($0))</p>" }.joined())
            \(portalURL.map { "<p><a href=\"\(HTML.escape($0))\">Open your account</a></p>" } ?? "")
            <p>\(HTML.escape(vendorName))</p>
            <p style="color:#8a8d93;font-size:12px"><a href="\(HTML.escape(preferencesURL))" style="color:#8a8d93">Choose which emails you receive</a></p>
            </body></html>
            """
        return ComposedEmail(subject: title, text: text, html: html)
    }
}
