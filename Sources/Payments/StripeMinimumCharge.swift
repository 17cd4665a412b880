/// Stripe's smallest charge per settlement currency, in the API's minor units
/// (docs.stripe.com/currencies#minimum-and-maximum-charge-amounts). A checkout below it is
/// refused by Stripe; Billport refuses it first, with the amount in the message.
public enum StripeMinimumCharge {
    static let table: [String: Int64] = [
        "USD": 50, "AED": 200, "AUD": 50, "BGN": 100, "BRL": 50, "CAD": 50, "CHF": 50, "CZK": 1500, "DKK": 250, "EUR": 50,
        "GBP": 30, "HKD": 400, "HUF": 17500, "INR": 50, "JPY": 50, "MXN": 1000, "MYR": 200, "NOK": 300, "NZD": 50, "PLN": 200,
        "RON": 200, "SEK": 300, "SGD": 50, "THB": 1000,
    ]

    /// The minimum for `currency` (any case), nil where Stripe publishes none.
    public static func minorUnits(currency: String) -> Int64? { table[currency.uppercased()] }
}
