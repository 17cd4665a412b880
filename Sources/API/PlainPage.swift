import Documents

/// A one-card page in the public pages' style (refusals, confirmations): the body is HTML the
/// caller built with every variable part escaped.
enum PlainPage {
    static func render(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <meta name="robots" content="noindex,nofollow"><title>\(HTML.escape(title))</title><link rel="stylesheet" href="/assets/billport.css"></head>
        <body><main><section class="card">\(body)</section>
        <footer>Powered by Billport</footer></main></body></html>
        """
    }
}
