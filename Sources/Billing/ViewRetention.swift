import Foundation

/// How long the raw log of opens is kept. The per-invoice stats (`view_stats`) stay for good;
/// raw rows are deleted after `raw`, and their client addresses — personal data — are blanked
/// after `addresses`. Only rows already folded into the stats are touched, so pruning never
/// changes what `GET /api/invoices/{id}` reports.
public struct ViewRetention: Sendable, Equatable {
    /// Raw views older than this are deleted.
    public var raw: Duration
    /// Addresses of views older than this are blanked.
    public var addresses: Duration

    /// 90 days of raw views, 30 days of addresses.
    public init(raw: Duration = .seconds(90 * 86_400), addresses: Duration = .seconds(30 * 86_400)) {
        self.raw = raw
        self.addresses = addresses
    }
}

/// What one pruning run did.
public struct ViewPruning: Sendable, Equatable {
    /// Raw views deleted.
    public var deleted = 0
    /// Views whose address was blanked.
    public var anonymised = 0

    public init(deleted: Int = 0, anonymised: Int = 0) {
        self.deleted = deleted
        self.anonymised = anonymised
    }
}
