import Foundation

/// How a tenant's documents look: brand colour, logo, paper and payment instructions.
public struct Branding: Sendable, Hashable {
    /// Paper for the tenant's PDFs.
    public enum PageSize: String, Sendable, Hashable, CaseIterable {
        case a4 = "A4"
        case letter = "Letter"
    }

    /// `#RRGGBB`, or nil for Billport's default.
    public var brandColor: String?
    /// PNG or JPEG bytes, or nil.
    public var logo: [UInt8]?
    public var pageSize: PageSize
    /// Printed under the totals (bank details, terms), at most 1,000 characters.
    public var paymentInstructions: String?

    public init(brandColor: String? = nil, logo: [UInt8]? = nil, pageSize: PageSize = .a4, paymentInstructions: String? = nil) {
        self.brandColor = brandColor
        self.logo = logo
        self.pageSize = pageSize
        self.paymentInstructions = paymentInstructions
    }

    /// Whether `text` is a `#RRGGBB` colour in ASCII hex digits. Checked on bytes: `Character`'s
    /// `isHexDigit` also accepts full-width digits (`#１２３４５６`), which no stylesheet or PDF reads.
    public static func isValidColor(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 7 && bytes[0] == UInt8(ascii: "#") && bytes.dropFirst().allSatisfy(isASCIIHexDigit)
    }

    private static func isASCIIHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    /// Whether `bytes` start like a PNG or a JPEG (the PDF writer checks the rest).
    public static func looksLikeImage(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) || bytes.starts(with: [0xFF, 0xD8, 0xFF])
    }
}

/// A customer's portal access token as the tenant sees it (never the token itself after creation).
public struct PortalToken: Sendable, Hashable {
    public let id: Int64
    public let customerID: Int64
    public let createdAt: Date
    public let expiresAt: Date
    public let revokedAt: Date?
    /// The raw token: only in the answer to the request that created it.
    public let token: String?

    public init(id: Int64, customerID: Int64, createdAt: Date, expiresAt: Date, revokedAt: Date?, token: String?) {
        self.id = id
        self.customerID = customerID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.token = token
    }
}

/// Whose portal a portal token opens, and whether it has expired.
public struct PortalAccess: Sendable, Hashable {
    public let tenantID: Int64
    public let customerID: Int64
    public let expired: Bool
    /// The token's row in `links`: media tokens name it, so they die with it.
    public let linkID: Int64

    public init(tenantID: Int64, customerID: Int64, expired: Bool, linkID: Int64) {
        self.tenantID = tenantID
        self.customerID = customerID
        self.expired = expired
        self.linkID = linkID
    }
}
