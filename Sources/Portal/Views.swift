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
