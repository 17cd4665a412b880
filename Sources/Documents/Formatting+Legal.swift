import Billing

/// Legal details as people read them on an invoice.
extension Formatting {
    /// A short human name for the common UN/ECE Recommendation 20 units ("h", "days", "kg"); ""
    /// for C62 ("one", a plain count); any other unit shows its code.
    static func unit(_ unit: UnitCode) -> String {
        switch unit.code {
        case "C62", "H87", "EA": ""
        case "HUR": "h"
        case "MIN": "min"
        case "DAY": "days"
        case "WEE": "weeks"
        case "MON": "months"
        case "ANN": "years"
        case "KGM": "kg"
        case "GRM": "g"
        case "TNE": "t"
        case "MTR": "m"
        case "KMT": "km"
        case "MTK": "m²"
        case "MTQ": "m³"
        case "LTR": "l"
        case "KWH": "kWh"
        default: unit.code
        }
    }

    /// A line's VAT column: the rate, with the category code when the line is not standard-rated
    /// ("19%", "0% AE"), so a reverse-charge line never reads like a zero-rated one.
    static func vat(_ category: VATCategory, _ rate: TaxRate) -> String {
        category == .standard ? Self.rate(rate) : "\(Self.rate(rate)) \(category.rawValue)"
    }

    /// The country's English name for the countries Billport's tenants mostly bill, else its ISO code.
    static func country(_ country: CountryCode) -> String {
        countryNames[country.code] ?? country.code
    }

    private static let countryNames: [String: String] = [
        "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CH": "Switzerland", "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany",
        "DK": "Denmark", "EE": "Estonia", "ES": "Spain", "FI": "Finland", "FR": "France", "GB": "United Kingdom", "GR": "Greece",
        "HR": "Croatia", "HU": "Hungary", "IE": "Ireland", "IS": "Iceland", "IT": "Italy", "LI": "Liechtenstein", "LT": "Lithuania",
        "LU": "Luxembourg", "LV": "Latvia", "MT": "Malta", "NL": "Netherlands", "NO": "Norway", "PL": "Poland", "PT": "Portugal",
        "RO": "Romania", "SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia", "US": "United States", "CA": "Canada", "AU": "Australia",
        "JP": "Japan", "KW": "Kuwait", "TR": "Türkiye", "UA": "Ukraine",
    ]
}

extension Formatting {
    /// "3 h", "2.5 days", "1 day", "12": the quantity with its unit's short name.
    static func quantity(_ quantity: Quantity, unit: UnitCode) -> String {
        var name = self.unit(unit)
        if quantity.tenThousandths == 10_000, ["days", "weeks", "months", "years"].contains(name) { name.removeLast() }
        return self.quantity(quantity) + (name.isEmpty ? "" : " " + name)
    }
}
