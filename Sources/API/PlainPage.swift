import BillportCore
import Documents
import HTTPServer

/// A one-card page in the public pages' style (refusals, confirmations): the body is HTML the
/// caller built with every variable part escaped.
enum PlainPage {
    static func render(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <meta name="robots" content="noindex,nofollow"><title>\(HTML.escape(title))</title>\(PageStyle.base)</head>
        <body><main><section class="card">\(body)</section>
        <footer>Powered by Billport</footer></main></body></html>
        """
    }
}

/// HTML out: every public page's response.
enum HTMLBody {
    static func response(status: Int = 200, _ page: String) -> HTTPResponse {
        response(status: status, bytes: Array(page.utf8))
    }

    static func response(status: Int = 200, bytes: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: bytes)
    }
}
