import BillportCore
import Documents
import Foundation
import Billing

/// The customer portal as HTML: what is owed, how late, the statement, the invoices, orders,
/// credit notes and a message form, each as the tenant's settings allow. No JavaScript; every
/// tenant and customer string escaped.
enum PortalPage {
    static func render(_ body: PortalBody, token: String, notice: String?) -> String {
        let base = "/portal/" + HTML.escape(token)
        func money(_ amount: Int64, _ code: String) -> String {
            Currency(code: code).map { HTML.escape(Money(minorUnits: amount, currency: $0).formatted) } ?? String(amount)
        }
        let welcome = body.welcomeMessage.map { "<p class=\"notes\">\(HTML.escape($0))</p>" } ?? ""
        let flash = notice.map { "<p class=\"notice\" role=\"status\">\(HTML.escape($0))</p>" } ?? ""
        let balances = body.balances.isEmpty ? "<p>Nothing is due. Thank you!</p>" : "<dl class=\"meta\">" + body.balances.map { balance in
            "<div><dt>Outstanding (\(balance.currency))</dt><dd>\(money(balance.outstanding, balance.currency))</dd></div>"
                + (balance.overdue > 0 ? "<div><dt>Overdue</dt><dd class=\"overdue\">\(money(balance.overdue, balance.currency))</dd></div>" : "")
        }.joined() + "</dl>"
        let invoices = body.invoices.map { line in
            let path = "\(base)/invoices/\(HTML.escape(line.publicId))"
            return """
                <tr><td><a href="\(path)">\(HTML.escape(line.number))</a>\(line.overdue ? " <span class=\"status overdue\">OVERDUE</span>" : "")\
                <br><small>\(HTML.escape(line.status)) · <a href="\(path)/pdf" download aria-label="PDF of \(HTML.escape(line.number))">PDF</a>\
                \(line.payable ? " · <a href=\"\(path)\" aria-label=\"Pay \(HTML.escape(line.number))\">Pay</a>" : "")\
                \(line.amountOverpaid > 0 ? " · overpaid \(money(line.amountOverpaid, line.currency)), to be refunded" : "")</small></td>\
                <td class="hide-narrow">\(line.issueDate)</td><td>\(line.dueDate)</td>\
                <td class="hide-narrow">\(money(line.total, line.currency))</td><td>\(money(line.amountDue, line.currency))</td></tr>
                """
        }.joined()
        let more = body.nextCursor.map { "<p><a href=\"\(base)?before=\(HTML.escape($0))\">Older invoices</a></p>" } ?? ""
        let invoiceTable = body.invoices.isEmpty ? "<p>No invoices yet.</p>" : """
            <table><thead><tr><th scope="col">Invoice</th><th scope="col" class="hide-narrow">Issued</th><th scope="col">Due</th>\
            <th scope="col" class="hide-narrow">Total</th><th scope="col">Amount due</th></tr></thead>
            <tbody>\(invoices)</tbody></table>
            """
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer">
            <title>\(HTML.escape(body.vendorName)) · your account</title>\(PageStyle.links(brand: body.brandColor))</head>
            <body><div class="bar"></div><main>\(flash)
            <section class="card" aria-labelledby="title"><span class="vendor">\(HTML.escape(body.vendorName))</span>
            <h1 id="title">Hello, \(HTML.escape(body.customerName))</h1>\(welcome)\(balances)</section>
            \(statement(body.statement, money))
            <section class="card" aria-labelledby="invoices"><h2 id="invoices">Invoices</h2>\(invoiceTable)\(more)</section>
            \(orders(body.salesOrders, money))\(credits(body.creditNotes, base, money))\(body.messagesEnabled ? messageForm(base) : "")
            <footer>Powered by Billport</footer></main></body></html>
            """
    }

    /// Aging buckets as a grid of figures per currency rather than a wide table, so that a
    /// phone shows every bucket without sideways scrolling.
    private static func statement(_ statement: PortalBody.Statement?, _ money: (Int64, String) -> String) -> String {
        guard let statement, !statement.balances.isEmpty else { return "" }
        let groups = statement.balances.map { b in
            let buckets = [("Current", b.current), ("1–30 days overdue", b.days1to30), ("31–60 days", b.days31to60),
                           ("61–90 days", b.days61to90), ("Over 90 days", b.over90)]
            let cells = buckets.map { "<div><dt>\($0.0)</dt><dd\($0.0 == "Current" || $0.1 == 0 ? "" : " class=\"overdue\"")>\(money($0.1, b.currency))</dd></div>" }
            return (statement.balances.count > 1 ? "<h3>\(b.currency)</h3>" : "") + "<dl class=\"meta\">\(cells.joined())</dl>"
        }.joined()
        return """
            <section class="card" aria-labelledby="statement"><h2 id="statement">Statement as of \(statement.asOf)</h2>\(groups)</section>
            """
    }

    private static func orders(_ orders: [PortalBody.Order]?, _ money: (Int64, String) -> String) -> String {
        guard let orders, !orders.isEmpty else { return "" }
        let rows = orders.map { order in
            "<tr><td>\(HTML.escape(order.number))</td><td class=\"hide-narrow\">\(order.orderDate)</td><td>\(HTML.escape(order.status))</td>"
                + "<td>\(money(order.total, order.currency))</td></tr>"
        }.joined()
        return """
            <section class="card" aria-labelledby="orders"><h2 id="orders">Orders</h2><table><thead><tr><th scope="col">Order</th>\
            <th scope="col" class="hide-narrow">Date</th><th scope="col">Status</th><th scope="col">Total</th></tr></thead><tbody>\(rows)</tbody></table></section>
            """
    }

    private static func credits(_ credits: [PortalBody.CreditLine]?, _ base: String, _ money: (Int64, String) -> String) -> String {
        guard let credits, !credits.isEmpty else { return "" }
        let rows = credits.map { note in
            let number = note.hasDocument
                ? "<a href=\"\(base)/credit-notes/\(HTML.escape(note.publicId))/pdf\" download>\(HTML.escape(note.number))</a>" : HTML.escape(note.number)
            return "<tr><td>\(number)</td><td>\(note.issueDate)</td><td>\(HTML.escape(note.invoiceNumber))</td><td>\(money(note.credited, note.currency))</td></tr>"
        }.joined()
        return """
            <section class="card" aria-labelledby="credits"><h2 id="credits">Credit notes</h2><table><thead><tr><th scope="col">Credit note</th>\
            <th scope="col">Date</th><th scope="col">Invoice</th><th scope="col">Credited</th></tr></thead><tbody>\(rows)</tbody></table></section>
            """
    }

    private static func messageForm(_ base: String) -> String {
        """
        <section class="card" aria-labelledby="message"><h2 id="message">Write to us</h2>
        <form method="post" action="\(base)/messages"><label for="message-text">Your message</label>
        <textarea id="message-text" name="message" rows="4" maxlength="\(CustomerMessage.maximumLength)" required></textarea>
        <button class="button primary" type="submit">Send</button></form></section>
        """
    }

    /// "Access denied" (an expired link), "Portal not available" (switched off), or a refused message.
    static func refusal(title: String, message: String) -> String {
        PlainPage.render(title: title, body: "<h1>\(HTML.escape(title))</h1><p>\(HTML.escape(message))</p>")
    }
}
