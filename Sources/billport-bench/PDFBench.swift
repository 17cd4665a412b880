import BillportCore
import Documents
import Foundation
import Billing

/// The `pdf` group: median milliseconds per invoice for one and five pages, in one process,
/// and the process's peak RSS.
struct PDFBench {
    func run(_ report: inout BenchReport) throws {
        let renderer = try PDFInvoiceRenderer()
        for (pages, lines, target) in [(1, 5, 2.0), (5, 100, 10.0)] {
            let sheet = try SampleInvoice.sheet(lines: lines)
            let produced = try Self.pageCount(renderer.render(sheet))
            let median = try Self.medianMilliseconds { _ = try renderer.render(sheet) }
            report.add("pdf.page\(pages).ms", median, "ms", target: "< \(Int(target)) (\(produced) page\(produced == 1 ? "" : "s"))", meets: median < target)
            report.add("pdf.page\(pages).docs_per_s", 1000 / median, "docs/s")
        }
        try facturX(renderer, &report)
        report.add("pdf.rss_mb", Self.peakRSSMegabytes(), "MB")
        try peer(&report)
    }

    /// The one-page invoice as Billport serves it: PDF/A-3b with its Factur-X XML embedded and
    /// the payment code drawn (the XML itself is timed in the einvoice group).
    private func facturX(_ renderer: PDFInvoiceRenderer, _ report: inout BenchReport) throws {
        let sheet = try SampleInvoice.served(lines: 5)
        let median = try Self.medianMilliseconds { _ = try renderer.render(sheet) }
        report.add("pdf.page1.facturx.ms", median, "ms", target: "< 2 (PDF/A-3b, \(sheet.eInvoiceXML!.count / 1024) KB XML, payment code)", meets: median < 2)
    }

    /// WeasyPrint on the same invoice, as a yardstick, when `make bench` could install it.
    private func peer(_ report: inout BenchReport) throws {
        let python = ".build/weasyprint-venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            emit("pdf: WeasyPrint yardstick skipped (\(python) missing; make bench installs it)")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["bench/weasyprint-peer.py", "10"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        for line in output.split(separator: "\n") where line.hasPrefix("PEER ") {
            let fields = line.split(separator: " ")
            if fields.count == 3, let ms = Double(fields[2]) {
                report.add("pdf.peer.weasyprint.page\(fields[1]).ms", ms, "ms", target: "WeasyPrint reference")
            }
        }
    }

    /// The median of 200 runs after 20 to warm up.
    static func medianMilliseconds(_ body: () throws -> Void) throws -> Double {
        for _ in 0..<20 { try body() }
        var times: [Double] = []
        for _ in 0..<200 {
            let start = ContinuousClock.now
            try body()
            times.append(seconds(since: start) * 1000)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// Pages of a rendered PDF, by counting its page objects.
    static func pageCount(_ pdf: [UInt8]) -> Int {
        String(decoding: pdf, as: UTF8.self).components(separatedBy: "/Type /Page ").count - 1
    }

    static func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }
}
