import BillportCore
import Foundation

/// Where an open came from.
public enum ViewSource: String, Sendable, Codable, CaseIterable {
    /// A share link's page or PDF.
    case link
    /// A per-recipient emailed link.
    case email
    /// The unified portal (with its media token).
    case portal
    /// The public JSON view.
    case api
}

/// One open of a public page, JSON view or PDF, as recorded before aggregation.
public struct ViewRecord: Sendable, Hashable, Codable {
    /// Unique per open, so that replaying a journal after a crash cannot double a view.
    public let key: String
    public let tenantID: Int64
    public let invoiceID: Int64
    public let linkID: Int64?
    public let source: ViewSource
    public let ip: String
    public let userAgent: String?
    public let viewedAt: Date

    public init(key: String, tenantID: Int64, invoiceID: Int64, linkID: Int64?, source: ViewSource, ip: String, userAgent: String?, viewedAt: Date) {
        self.key = key
        self.tenantID = tenantID
        self.invoiceID = invoiceID
        self.linkID = linkID
        self.source = source
        self.ip = String(ip.prefix(64))
        self.userAgent = userAgent.map { String($0.prefix(256)) }
        self.viewedAt = viewedAt
    }
}

extension ViewRecord {
    /// One journal line as bytes: tab-separated fields, tabs and line breaks in text fields
    /// turned into spaces (safe byte by byte: in UTF-8 those bytes never occur inside a
    /// multi-byte character). Cheaper than JSON on the hot path of every public open.
    public var journalLine: [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(96 + (userAgent?.utf8.count ?? 0))
        func field(_ text: String, clean: Bool = false) {
            if !line.isEmpty { line.append(0x09) }
            for byte in text.utf8 { line.append(clean && (byte == 0x09 || byte == 0x0A || byte == 0x0D) ? 0x20 : byte) }
        }
        field(key)
        field(String(tenantID))
        field(String(invoiceID))
        field(linkID.map(String.init) ?? "-")
        field(source.rawValue)
        field(ip, clean: true)
        field(String(viewedAt.unixMilliseconds))
        field(userAgent ?? "", clean: true)
        line.append(0x0A)
        return line
    }

    /// Reads a journal line back; nil for a line a crash cut short.
    public init?(journalLine line: Substring) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 8, let tenant = Int64(fields[1]), let invoice = Int64(fields[2]),
              let source = ViewSource(rawValue: String(fields[4])), let at = Int64(fields[6]) else { return nil }
        self.init(key: String(fields[0]), tenantID: tenant, invoiceID: invoice, linkID: Int64(fields[3]), source: source,
                  ip: String(fields[5]), userAgent: fields[7].isEmpty ? nil : String(fields[7]), viewedAt: Date(unixMilliseconds: at))
    }
}

/// What the tenant learns about an invoice's opens.
public struct ViewStats: Sendable, Hashable {
    public let count: Int
    public let firstViewedAt: Date?
    public let lastViewedAt: Date?
    public let uniqueIPs: Int

    public init(count: Int = 0, firstViewedAt: Date? = nil, lastViewedAt: Date? = nil, uniqueIPs: Int = 0) {
        self.count = count
        self.firstViewedAt = firstViewedAt
        self.lastViewedAt = lastViewedAt
        self.uniqueIPs = uniqueIPs
    }

    /// Opened within the last 7 days.
    public func viewedRecently(now: Date) -> Bool {
        lastViewedAt.map { now.timeIntervalSince($0) <= 7 * 86_400 } ?? false
    }
}
