import BillportCore
import HTTPServer

/// The console's HTML frame and the headers every answer carries: never cached, never framed,
/// no script or outside resource allowed to load.
enum ConsolePage {
    static let securityHeaders: [(String, String)] = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
        ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]

    /// A page: `body` is HTML the caller built with every variable part escaped.
    static func response(status: Int = 200, title: String, body: String, extraHeaders: [(String, String)] = []) -> HTTPResponse {
        let page = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <meta name="robots" content="noindex,nofollow"><title>\(HTML.escape(title)) · Billport</title><style>\(style)</style></head>
            <body>\(body)</body></html>
            """
        return HTTPResponse(status: status, headers: HTTPHeaders(securityHeaders + extraHeaders), text: page)
    }

    /// A short page saying what went wrong and leading back to the queue.
    static func problem(status: Int, title: String, message: String, extraHeaders: [(String, String)] = []) -> HTTPResponse {
        response(status: status, title: title, body: """
            <main class="narrow"><h1>\(HTML.escape(title))</h1><p>\(HTML.escape(message))</p>
            <p><a href="/">Back to the queue</a></p></main>
            """, extraHeaders: extraHeaders)
    }

    static let style = """
        :root{color-scheme:light;--ink:#1f2430;--muted:#687083;--line:#e3e6ec;--bg:#f6f7f9;--card:#fff;--red:#b42318;--red-bg:#fdecea;\
        --amber:#a15c07;--amber-bg:#fff4e0;--green:#1d7a46;--blue:#2952cc}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
        header.top{background:#1f2430;color:#fff;padding:14px 28px;display:flex;gap:18px;align-items:baseline;flex-wrap:wrap}
        header.top h1{font-size:18px;margin:0;font-weight:600}
        header.top .meta{color:#c9cedb;margin:0;flex:1}
        header.top a{color:#fff}
        main{max-width:1240px;margin:0 auto;padding:20px 28px 40px}
        main.narrow{max-width:560px;margin:60px auto;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:24px 28px}
        main.narrow h1{font-size:20px;margin:0 0 8px}
        a{color:var(--blue)}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin-bottom:22px}
        .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
        .card .n{font-size:26px;font-weight:600;font-variant-numeric:tabular-nums}
        .card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
        .card.bad{border-color:#f3b4ae;background:var(--red-bg)}.card.bad .n{color:var(--red)}
        .card.warn{border-color:#f5cf8f;background:var(--amber-bg)}.card.warn .n{color:var(--amber)}
        section{background:var(--card);border:1px solid var(--line);border-radius:8px;margin-bottom:22px;overflow:hidden}
        section h2{font-size:15px;margin:0;padding:12px 16px;border-bottom:1px solid var(--line);display:flex;gap:10px;align-items:baseline}
        section h2 .hint{font-weight:400;color:var(--muted);font-size:13px}
        .scroll{overflow-x:auto}
        table{border-collapse:collapse;width:100%}
        th,td{text-align:left;padding:8px 16px;border-bottom:1px solid var(--line);vertical-align:top}
        tr:last-child td{border-bottom:0}
        th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em;background:#fafbfc}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        td.zero{color:#b3b8c4}
        td.bad{color:var(--red);font-weight:600}
        td.warn{color:var(--amber);font-weight:600}
        code{font:12.5px/1.4 ui-monospace,"DejaVu Sans Mono",monospace}
        time{white-space:nowrap;font-variant-numeric:tabular-nums}
        .ago{display:block;color:var(--muted);font-size:12px}
        pre.error{margin:0;max-width:520px;white-space:pre-wrap;overflow-wrap:anywhere;font:12px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;\
        color:var(--red);background:var(--red-bg);border-radius:4px;padding:6px 8px}
        .empty{padding:14px 16px;color:var(--muted);margin:0}
        .notice{background:#e8f5ee;border:1px solid #a7d8bb;color:var(--green);border-radius:8px;padding:10px 16px;margin-bottom:18px}
        button{font:inherit;font-weight:600;color:#fff;background:var(--blue);border:0;border-radius:6px;padding:5px 14px;cursor:pointer}
        button:hover{background:#1e3fa3}
        form{margin:0}
        """
}
