"""WeasyPrint yardstick for `make bench ONLY=pdf`: renders an HTML invoice like Billport's
sample (same lines, DejaVu Sans) and prints the median milliseconds per document for 1 and 5
pages as `PEER <pages> <ms>`. Never part of the product."""
import statistics
import sys
import time

from weasyprint import HTML

DESCRIPTIONS = [
    "Consulting, November — architecture review and workshop",
    "Reisekosten München–Köln (Bahn, 2. Klasse)",
    "Prestation de conseil : migration des données clients",
    "Usługi doradcze — wdrożenie systemu płatności",
    "Danışmanlık hizmeti: güvenlik denetimi ve raporlama",
    "Συμβουλευτικές υπηρεσίες — ανάλυση απαιτήσεων",
    "Консультационные услуги: настройка отчётности",
    "Licence fee, 12 seats × 1 month",
]


def invoice(lines):
    rows = "".join(
        f"<tr><td>{DESCRIPTIONS[i % 8]}</td><td>1</td><td>{95 + i * 0.37:.2f} EUR</td><td>19%</td><td>{95 + i * 0.37:.2f} EUR</td></tr>"
        for i in range(lines))
    return f"""<html><head><style>
      @page {{ size: A4; margin: 48pt; @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font-size: 7.5pt }} }}
      body {{ font-family: 'DejaVu Sans'; font-size: 9.5pt }}
      h1 {{ font-size: 18pt }} table {{ width: 100%; border-collapse: collapse }}
      thead td {{ background: #1F6FEB; color: white; font-weight: bold }} td {{ border-bottom: 0.4pt solid #ddd; padding: 3pt }}
      tr {{ page-break-inside: avoid }}
    </style></head><body>
      <h2 style="color:#1F6FEB">Demo Consulting GmbH</h2><h1>Invoice INV-2026-0042</h1>
      <p><b>Bill to</b><br>Zoë Müller-Łukasiewicz<br>zoe@example.com</p>
      <table><thead><tr><td>Description</td><td>Qty</td><td>Unit price</td><td>Tax</td><td>Amount</td></tr></thead>
      <tbody>{rows}</tbody></table><p style="text-align:right"><b>Amount due 2,047.95 EUR</b></p></body></html>"""


for pages, lines in ((1, 8), (5, 100)):
    html = invoice(lines)
    HTML(string=html).write_pdf()
    times = []
    for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 10):
        start = time.perf_counter()
        HTML(string=html).write_pdf()
        times.append((time.perf_counter() - start) * 1000)
    print(f"PEER {pages} {statistics.median(times):.1f}", flush=True)
