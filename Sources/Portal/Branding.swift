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

    /// Whether `text` is a `#RRGGBB` colour, in ASCII: `Character.isHexDigit` also accepts
    /// fullwidth digits, which CSS does not, and a page whose `--brand` is invalid shows white
    /// buttons on white.
    public static func isValidColor(_ text: String) -> Bool {
        text.utf8.count == 7 && text.first == "#" && text.dropFirst().allSatisfy { $0.isASCII && $0.isHexDigit }
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
}
