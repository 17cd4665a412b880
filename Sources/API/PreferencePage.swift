import BillportCore
import Documents
import Foundation
import Billing

/// The preference page: three toggles and "turn everything off", plain HTML forms.
enum PreferencePage {
    static func label(_ key: PreferenceKey) -> String {
        switch key {
        case .document: "Invoices and documents"
        case .reminder: "Payment reminders"
        case .marketing: "News and offers"
        }
    }

    /// `confirm`: the category a GET of an unsubscribe link names, offered as one button;
    /// `brandColor`: the tenant's, so the page looks like the tenant's other pages.
    static func render(vendorName: String, brandColor: String?, _ preferences: Customer.Preferences, token: String, notice: String?,
                       confirm: PreferenceKey? = nil) -> String {
        let base = HTML.escape(token)
        let vendor = HTML.escape(vendorName)
        let toggles = PreferenceKey.allCases.map { key in
            """
            <p><input type="checkbox" id="\(key.rawValue)" name="\(key.rawValue)"\(preferences[key] ? " checked" : "")>
            <label class="inline" for="\(key.rawValue)">\(label(key))</label></p>
            """
        }.joined()
        let confirmForm = confirm.map { key in
            """
            <section class="card"><h2>Unsubscribe from \(label(key).lowercased())?</h2>
            <form method="post" action="/unsubscribe/\(base)?category=\(key.rawValue)">\
            <button class="button primary" type="submit">Unsubscribe</button></form></section>
            """
        } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer">
            <title>Email preferences · \(vendor)</title>\(PageStyle.links(brand: brandColor))</head>
            <body><div class="bar"></div><main>\(notice.map { "<p class=\"notice\" role=\"status\">\(HTML.escape($0))</p>" } ?? "")\(confirmForm)
            <section class="card" aria-labelledby="title"><span class="vendor">\(vendor)</span><h1 id="title">Email preferences</h1>
            <p>Choose what \(vendor) may send you.</p>
            <form method="post" action="/preferences/\(base)">\(toggles)<button class="button primary" type="submit">Save</button></form>
            <form method="post" action="/preferences/\(base)"><input type="hidden" name="all" value="off">\
            <p><button class="button" type="submit">Turn everything off</button></p></form></section>
            <footer>Powered by Billport</footer></main></body></html>
            """
    }
}
