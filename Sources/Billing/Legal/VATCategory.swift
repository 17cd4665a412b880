import BillportCore
/// The VAT category of an invoice line, allowance or charge (EN 16931 code list UNCL 5305, the codes an
/// invoice in the EU uses). Zero rates, exemptions and reverse charge are categories, not just a 0 %.
public enum VATCategory: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Standard rate (any rate above 0).
    case standard = "S"
    /// Zero-rated goods.
    case zeroRated = "Z"
    /// Exempt from VAT; the invoice must say why.
    case exempt = "E"
    /// Reverse charge: the buyer accounts for the VAT.
    case reverseCharge = "AE"
    /// Intra-community supply of goods and services within the EU.
    case intraCommunity = "K"
    /// Export outside the EU.
    case export = "G"
    /// Outside the scope of VAT.
    case outsideScope = "O"

    /// The category of a line that names none: standard when taxed, zero-rated otherwise.
    public static func implied(by rate: TaxRate) -> VATCategory { rate.hundredthsOfPercent > 0 ? .standard : .zeroRated }

    /// Whether the invoice must state why no VAT is charged (EN 16931 BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10).
    public var needsExemptionReason: Bool { self != .standard && self != .zeroRated }

    /// The note printed when the tenant gave no reason of its own; nil where the tenant must give one (exempt).
    public var defaultExemptionReason: String? {
        switch self {
        case .reverseCharge: "Reverse charge: VAT to be accounted for by the recipient"
        case .intraCommunity: "Intra-community supply exempt from VAT"
        case .export: "Export outside the EU exempt from VAT"
        case .outsideScope: "Not subject to VAT"
        case .standard, .zeroRated, .exempt: nil
        }
    }

    /// The exemption reason code (VATEX) EN 16931 pairs with the category, where there is one fixed code.
    public var exemptionReasonCode: String? {
        switch self {
        case .reverseCharge: "VATEX-EU-AE"
        case .intraCommunity: "VATEX-EU-IC"
        case .export: "VATEX-EU-G"
        case .outsideScope: "VATEX-EU-O"
        case .standard, .zeroRated, .exempt: nil
        }
    }

    /// Whether the rate must be above zero (standard) or exactly zero (every other category).
    public func accepts(_ rate: TaxRate) -> Bool {
        self == .standard ? rate.hundredthsOfPercent > 0 : rate.hundredthsOfPercent == 0
    }

    /// Order on the page and in the e-invoice: the order of the cases.
    public static func < (lhs: VATCategory, rhs: VATCategory) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// What people read in the tax summary.
    public var label: String {
        switch self {
        case .standard: "VAT"
        case .zeroRated: "VAT zero rate"
        case .exempt: "VAT exempt"
        case .reverseCharge: "Reverse charge"
        case .intraCommunity: "Intra-community supply"
        case .export: "Export"
        case .outsideScope: "Outside the scope of VAT"
        }
    }
}

/// A UN/ECE Recommendation 20 unit of measure (`C62` one, `HUR` hour, `KGM` kilogram).
public struct UnitCode: Sendable, Hashable, CustomStringConvertible {
    public let code: String

    /// "One" (a unit without dimension): the default.
    public static let one = UnitCode(stored: "C62")

    public init?(_ text: String) {
        guard text.count <= 3, CodeLists.unitCodes.contains(text) else { return nil }
        code = text
    }

    /// A code read back from the store, checked when it was written.
    public init(stored: String) { code = stored }

    public var description: String { code }
}

/// A document-level allowance (a discount) or charge (freight, packing), taxed in its own
/// VAT category and rate like a line.
public struct AllowanceCharge: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable { case allowance, charge }

    public let kind: Kind
    /// Minor units, positive.
    public let amount: Int64
    public let reason: String
    public let vatCategory: VATCategory
    public let taxRate: TaxRate

    public init(kind: Kind, amount: Int64, reason: String, vatCategory: VATCategory, taxRate: TaxRate) {
        self.kind = kind
        self.amount = amount
        self.reason = reason
        self.vatCategory = vatCategory
        self.taxRate = taxRate
    }

    /// Its effect on the taxable amount: negative for an allowance.
    public var signedAmount: Int64 { kind == .allowance ? -amount : amount }
}
