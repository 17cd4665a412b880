/// What an API token may change, beyond reading (every valid token reads). Tokens carry the
/// raw names in `APIClaims.perms`; routes and the CLI name them through these constants.
public struct Permission: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The name as it stands in a token, `invoices:write`.
    public let rawValue: String

    /// Wraps a name; `known` tells whether Billport grants it.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `"invoices:write"` where a permission is expected.
    public init(stringLiteral name: String) { rawValue = name }

    /// Create and issue customers, invoices, credit notes and sales orders.
    public static let invoicesWrite = Permission(rawValue: "invoices:write")
    /// Share, revoke and send invoices, and manage portal tokens.
    public static let invoicesManage = Permission(rawValue: "invoices:manage")
    /// Change branding, portal and payment settings.
    public static let settingsManage = Permission(rawValue: "settings:manage")

    /// Every permission Billport knows, in the order the CLI lists them.
    public static let all: [Permission] = [.invoicesWrite, .invoicesManage, .settingsManage]

    /// Whether this is one of `all`.
    public var isKnown: Bool { Self.all.contains(self) }

    /// The raw name.
    public var description: String { rawValue }
}
