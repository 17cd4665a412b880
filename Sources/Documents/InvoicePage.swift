import BillportCore
import Foundation
import PDF
import Billing
import QRCode

/// The buyer's invoice page: plain HTML and one stylesheet, no JavaScript, readable on a phone,
/// every tenant and customer string escaped.
public enum InvoicePage {
    /// The stylesheet every public page links (`/assets/billport.css`). It defines `--brand`
    /// (Billport's colour) so that a page without a brand stylesheet still shows its buttons.
    /// Text breaks anywhere when one word (an IBAN, a URL) is wider than its box, so a long
    /// description never pushes the amounts out of view; the amount cells never wrap, and
    /// column headings (ours, short) break only between words.
    public static let stylesheet = """
        :root{--brand:\(defaultBrand)}*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1a1b1f;background:#f5f6f8}
        body,.description{overflow-wrap:anywhere;word-break:break-word}th{overflow-wrap:normal;word-break:normal}
        main{max-width:760px;margin:0 auto;padding:16px}.card{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:20px;margin-bottom:16px}
        .bar{height:6px;background:var(--brand)}.vendor,.brand{color:var(--brand)}header{display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap}
        header img{max-height:54px;max-width:160px}.vendor{font-weight:700;font-size:1.1rem}h1{font-size:1.5rem;margin:.5rem 0}
        .status{display:inline-block;padding:2px 10px;border-radius:99px;font-size:.8rem;font-weight:700;letter-spacing:.04em;background:#eef2f8}
        .meta{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px 16px;margin:12px 0}.meta dt{font-size:.8rem;color:#60646c}.meta dd{margin:0;font-weight:600}
        table{width:100%;border-collapse:collapse}th,td{padding:8px 4px;border-bottom:1px solid #e6e7ea;text-align:right;vertical-align:top}th:first-child,td:first-child{text-align:left}td:not(:first-child),.nowrap{white-space:nowrap}h3{font-size:1rem;margin:.75rem 0 0}
        th{font-size:.8rem;color:#60646c;font-weight:600}.totals td{border:0;padding:4px}.totals .due td{font-weight:700;font-size:1.1rem;border-top:2px solid #1a1b1f}
        .actions{display:flex;gap:12px;flex-wrap:wrap}.button{display:inline-block;padding:10px 18px;border-radius:8px;text-decoration:none;font-weight:600;border:2px solid currentColor;color:var(--brand)}
        .button.primary{color:#fff;background:var(--brand);border-color:var(--brand)}.overdue{color:#b42318}h2{font-size:1.1rem;margin:0 0 .5rem}\
        .notice{background:#e7f6ec;border-radius:8px;padding:10px 14px}label{display:block;font-weight:600;margin-bottom:4px}label.inline{display:inline;font-weight:400}input[type=checkbox]{width:1.1rem;height:1.1rem;vertical-align:middle}\
        .pay{display:flex;flex-wrap:wrap;gap:8px;align-items:center}.pay label{flex-basis:100%;margin:0}.pay input{font:inherit;padding:8px;border:1px solid #c9ccd1;border-radius:8px;width:10em}\
        textarea{width:100%;font:inherit;padding:8px;border:1px solid #c9ccd1;border-radius:8px;margin-bottom:12px}button.button{font:inherit;cursor:pointer;background:none}.notes{white-space:pre-wrap}footer{text-align:center;color:#8a8d93;font-size:.8rem;padding:8px}
        .paycode{display:flex;gap:16px;align-items:center;flex-wrap:wrap;margin:16px 0 0}.paycode svg{width:164px;height:164px}.paycode p{margin:0;max-width:24em}.taxnote{color:#60646c;font-size:.9rem}
        @media (max-width:560px){.hide-narrow{display:none}td,th{padding:6px 2px;font-size:.9rem}}
        """

    /// The page for `sheet`; "Pay now" posts to `payPath` when one is given (the tenant takes
    /// online payments and something is due) for what is due beyond `pending`, money already on
    /// its way (a bank debit being confirmed), which the page mentions. `eInvoicePath` links the
    /// e-invoice XML when the invoice has one; `paymentCode` is the EPC code to scan for a transfer.
    public static func render(_ sheet: InvoiceSheet, pdfPath: String, backPath: String? = nil, payPath: String? = nil,
                              pending: Int64 = 0, eInvoicePath: String? = nil, paymentCode: QRMatrix? = nil) -> String {
        let invoice = sheet.invoice
        let money = { (amount: Int64) in HTML.escape(Money(minorUnits: amount, currency: invoice.currency).formatted) }
        let title = "\(invoice.type == .ap ? "Bill" : "Invoice") \(invoice.number)"
        var logo = ""
        // A logo over the default size rule (stored before uploads were checked) is not sent to
        // buyers' browsers either.
        if let bytes = sheet.branding.logo, Branding.looksLikeImage(bytes), (try? LogoPolicy().admit(bytes)) != nil {
            let type = bytes.first == 0x89 ? "image/png" : "image/jpeg"
            logo = "<img src=\"data:\(type);base64,\(Data(bytes).base64EncodedString())\" alt=\"\(HTML.escape(sheet.vendorName))\">"
        }
        let rows = invoice.lines.map { line in
            """
            <tr><td class="description">\(HTML.escape(line.description))</td><td class="hide-narrow">\(Formatting.quantity(line.quantity))</td>\
            <td class="hide-narrow">\(money(line.unitPrice))</td><td class="hide-narrow">\(Formatting.rate(line.taxRate))</td><td>\(money(line.net))</td></tr>
            """
        }.joined(separator: "\n")
        var totals = ["<tr><td>Subtotal</td><td>\(money(invoice.totals.subtotal))</td></tr>"]
        totals += invoice.totals.taxes.map { "<tr><td>\(taxLabel($0))</td><td>\(money($0.amount))</td></tr>" }
        totals.append("<tr><td>Total</td><td>\(money(invoice.totals.total))</td></tr>")
        totals += PaymentSummary.rows(of: invoice).map { row in
            "<tr\(row.emphasised ? " class=\"due\"" : "")><td>\(row.label)</td><td>\(money(row.amount))</td></tr>"
        }
        let payable = invoice.amountDue - pending > 0 ? payPath : nil
        let taxNotes = invoice.totals.taxes.compactMap(\.exemptionReason).map { "<p class=\"taxnote\">\(HTML.escape($0))</p>" }.joined()
        let notes = taxNotes + [invoice.notes, sheet.branding.paymentInstructions].compactMap { $0 }.filter { !$0.isEmpty }
            .map { "<p class=\"notes\">\(HTML.escape($0))</p>" }.joined()
        let code = paymentCode.map {
            "<figure class=\"paycode\" role=\"img\" aria-label=\"Payment code\">\($0.svg())<p>\(EPCPaymentCode.caption)</p></figure>"
        } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer">
            <title>\(HTML.escape(title)) · \(HTML.escape(sheet.vendorName))</title>\(PageStyle.links(brand: sheet.branding.brandColor))</head>
            <body><div class="bar"></div><main>\(backPath.map { "<p><a href=\"\(HTML.escape($0))\">← Your account</a></p>" } ?? "")
            <section class="card" aria-labelledby="title"><header><div>\(logo.isEmpty ? "<span class=\"vendor\">\(HTML.escape(sheet.vendorName))</span>" : logo)</div>
            <span class="status">\(HTML.escape(invoice.status.rawValue.uppercased()))</span></header>
            <h1 id="title">\(HTML.escape(title))</h1>
            <dl class="meta"><div><dt>Billed to</dt><dd>\(HTML.escape(sheet.customerName))</dd></div>
            <div><dt>Issue date</dt><dd>\(invoice.issueDate)</dd></div><div><dt>Due date</dt><dd>\(invoice.dueDate)</dd></div>
            <div><dt>Amount due</dt><dd>\(money(invoice.amountDue))</dd></div></dl>
            \(pending > 0 ? "<p class=\"notice\" role=\"status\">A payment of \(money(pending)) is being processed; it shows here once the bank confirms it.</p>" : "")\
            <div class="actions">\(payable.map { payForm(invoice, action: $0, amount: invoice.amountDue - pending) } ?? "")\
            <a class="button\(payable == nil ? " primary" : "")" href="\(HTML.escape(pdfPath))" download>Download PDF</a>\
            \(eInvoicePath.map { "<a class=\"button\" href=\"\(HTML.escape($0))\" download>E-invoice (XML)</a>" } ?? "")</div>\(code)</section>
            <section class="card" aria-label="Lines"><table><thead><tr><th scope="col">Description</th><th scope="col" class="hide-narrow">Qty</th>\
            <th scope="col" class="hide-narrow">Unit price</th><th scope="col" class="hide-narrow">Tax</th><th scope="col">Amount</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            <table class="totals">\(totals.joined())</table>\(notes)</section>
            <footer>Powered by Billport</footer></main></body></html>
            """
    }

    /// "Pay now" as a plain form (no JavaScript); with partial payments allowed, an amount
    /// field prefilled with the amount due.
    static func payForm(_ invoice: Invoice, action: String, amount: Int64) -> String {
        var field = ""
        if invoice.allowPartialPayments {
            let due = Money(minorUnits: amount, currency: invoice.currency).formatted.dropLast(invoice.currency.code.count + 1)
            let minimum = invoice.minimumPaymentAmount.map {
                " (at least \(HTML.escape(Money(minorUnits: $0, currency: invoice.currency).formatted)))"
            } ?? ""
            field = """
                <label for="amount">Amount to pay in \(invoice.currency.code)\(minimum)</label>\
                <input id="amount" name="amount" inputmode="decimal" autocomplete="off" value="\(HTML.escape(String(due)))">
                """
        }
        return "<form class=\"pay\" method=\"post\" action=\"\(HTML.escape(action))\">\(field)<button class=\"button primary\" type=\"submit\">Pay now</button></form>"
    }

    /// The brand colour of tenants who chose none.
    public static let defaultBrand = "#1F5EBD"

    /// `:root{--brand:#RRGGBB}` for `/assets/brand.css?c=RRGGBB`: the brand colour as a
    /// stylesheet, so that pages need no inline style and the CSP can stay `style-src 'self'`.
    public static func brandStylesheet(hex: String?) -> String {
        ":root{--brand:\(PageStyle.color(hex.map { "#" + $0 }))}"
    }

    /// The one page for every link that does not work (unknown, revoked, expired, malformed).
    public static let notFound = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <meta name="robots" content="noindex,nofollow"><title>Link not valid</title>\(PageStyle.base)</head>
        <body><main><section class="card"><h1>This link is not valid</h1><p>It may have been replaced or withdrawn. Ask the sender for a new one.</p></section>
        <footer>Powered by Billport</footer></main></body></html>
        """

    /// "VAT 19 %", "Reverse charge 0 %": a tax row's category and rate.
    static func taxLabel(_ tax: TaxLine) -> String {
        "\(tax.category.label) \(Formatting.rate(tax.rate))"
    }
}
