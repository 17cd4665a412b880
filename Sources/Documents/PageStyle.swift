import Billing

/// The stylesheets of every public page, in one place: the base stylesheet, which defines a
/// default `--brand` so that a page without a tenant still has visible buttons, and, for a page
/// that belongs to a tenant, the tenant's brand colour as a second stylesheet overriding it.
public enum PageStyle {
    /// The `<link>` of a page that belongs to no tenant (errors, refusals).
    public static let base = "<link rel=\"stylesheet\" href=\"/assets/billport.css\">"

    /// The `<link>`s of a tenant's page; `brand` is the tenant's colour, nil or invalid for
    /// Billport's own.
    public static func links(brand: String?) -> String {
        base + "<link rel=\"stylesheet\" href=\"/assets/brand.css?c=\(color(brand).dropFirst())\">"
    }

    /// `hex` when it is a valid `#RRGGBB`, else Billport's own colour.
    public static func color(_ hex: String?) -> String {
        hex.flatMap { Branding.isValidColor($0) ? $0 : nil } ?? InvoicePage.defaultBrand
    }
}
