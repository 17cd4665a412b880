import Foundation

/// What a tenant pays Billport for: only `pro` tenants take payments online.
public enum Plan: String, Sendable, Codable, CaseIterable {
    case free, pro
}

/// Where a payment is in its life. `pending` is a finished checkout whose money has not
/// arrived yet (a delayed method such as SEPA debit); `succeeded` and `failed` are final.
public enum PaymentState: String, Sendable, Codable, CaseIterable {
    case pending, succeeded, failed
}

/// A tenant's online-payment setup. The keys are secrets: shown masked, never logged.
public struct PaymentSettings: Sendable, Equatable {
    public var plan: Plan
    /// The provider's secret API key (`sk_live_…`), nil until connected.
    public var secretKey: String?
    /// Webhook signing secrets (`whsec_…`); any one of them verifies, so a secret can rotate.
    public var webhookSecrets: [String]

    public init(plan: Plan = .free, secretKey: String? = nil, webhookSecrets: [String] = []) {
        self.plan = plan
        self.secretKey = secretKey
        self.webhookSecrets = webhookSecrets
    }

    /// Whether buyers see "Pay now": a pro tenant with a provider connected.
    public var acceptsOnlinePayments: Bool { plan == .pro && secretKey != nil }

    /// `sk_live_…1234`: the key's mode and last four characters, enough to tell keys apart.
    public static func masked(_ secret: String) -> String {
        let prefixes = ["sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"]
        let prefix = prefixes.first(where: secret.hasPrefix) ?? ""
        return prefix + "…" + (secret.count >= prefix.count + 12 ? String(secret.suffix(4)) : "")
    }
}

/// One online payment towards an invoice: one provider checkout, unique by its session id.
public struct PaymentRecord: Sendable, Equatable {
    public let id: Int64
    public let invoiceID: Int64
    /// The provider's checkout session (`cs_…`).
    public let sessionID: String
    /// The provider's payment (`pi_…`) that refunds refer to.
    public let paymentIntent: String?
    public let amount: Int64
    public let currency: String
    public let state: PaymentState
    /// How much of it went back to the payer.
    public let refunded: Int64
    /// Money received beyond what was due (a second checkout paid in parallel, a payment to
    /// a cancelled invoice): the tenant should refund it.
    public let excess: Int64
    public let createdAt: Date
    public let updatedAt: Date

    public init(id: Int64, invoiceID: Int64, sessionID: String, paymentIntent: String?, amount: Int64, currency: String, state: PaymentState, refunded: Int64, excess: Int64, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.invoiceID = invoiceID
        self.sessionID = sessionID
        self.paymentIntent = paymentIntent
        self.amount = amount
        self.currency = currency
        self.state = state
        self.refunded = refunded
        self.excess = excess
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One line of an invoice's payment history, for the tenant.
public struct PaymentAuditEntry: Sendable, Equatable {
    public let at: Date
    /// The provider event that caused it (`evt_…`).
    public let eventID: String
    public let action: String
    public let amount: Int64?
    public let detail: String?

    public init(at: Date, eventID: String, action: String, amount: Int64?, detail: String?) {
        self.at = at
        self.eventID = eventID
        self.action = action
        self.amount = amount
        self.detail = detail
    }
}

/// What one verified provider event asks of an invoice's ledger. Events are mapped to these
/// by the worker; the ledger applies them so that order and repetition do not matter.
public enum LedgerChange: Sendable, Equatable {
    /// A checkout towards the invoice reached `state`.
    case payment(sessionID: String, paymentIntent: String?, amount: Int64, currency: String, state: PaymentState)
    /// The charge behind `paymentIntent` has had `refundedTotal` refunded so far (cumulative,
    /// as the provider reports it, so a late or repeated event can only confirm a total).
    case refund(chargeID: String, paymentIntent: String, refundedTotal: Int64, currency: String)

    /// The ISO 4217 code the provider reports, any case.
    public var currency: String {
        switch self {
        case .payment(_, _, _, let currency, _), .refund(_, _, _, let currency): return currency
        }
    }
}

/// The ledger's pure rules: how states merge and what an invoice's payments add up to.
public enum PaymentLedger {
    /// The state after `incoming` arrives for a payment in `existing`: final states stay, so
    /// a late "completed, unpaid" cannot undo an earlier "async payment succeeded".
    public static func merge(_ existing: PaymentState?, _ incoming: PaymentState) -> PaymentState {
        guard let existing else { return incoming }
        return existing == .pending ? incoming : existing
    }

    /// The net money in from a payment: what succeeded, less what went back.
    public static func net(amount: Int64, state: PaymentState, refunded: Int64) -> Int64 {
        state == .succeeded ? max(0, amount - min(amount, refunded)) : 0
    }

    /// An invoice after its payments: amount paid, status and the excess to refund.
    public struct Balance: Sendable, Equatable {
        public let amountPaid: Int64
        public let status: InvoiceStatus
        public let excess: Int64
    }

    /// Derived from scratch every time (never incremented), so applying an event twice or in
    /// another order gives the same result. Paid when nothing is left due; an issued invoice
    /// again when a refund opens a balance; drafts and cancelled invoices keep their status
    /// (money on a cancelled invoice is all excess).
    /// Payments that add up beyond Int64 throw `MoneyOverflow` instead of trapping.
    public static func balance(total: Int64, credited: Int64, status: InvoiceStatus, netPayments: [Int64]) throws(MoneyOverflow) -> Balance {
        let paid = try MoneyArithmetic.sum(netPayments, "amount paid")
        switch status {
        case .draft, .cancelled:
            return Balance(amountPaid: paid, status: status, excess: status == .cancelled ? paid : 0)
        case .issued, .paid:
            let due = Invoice.amountDue(total: total, paid: paid, credited: credited, status: .issued)
            let next: InvoiceStatus = due == 0 && paid > 0 ? .paid : (due > 0 ? .issued : status)
            return Balance(amountPaid: paid, status: next, excess: Invoice.overpaid(total: total, paid: paid, credited: credited, status: .issued))
        }
    }

    /// Spreads `excess` over payments with the net amounts `nets` (oldest first): the newest
    /// payments carry it, as they are the ones that went beyond what was due. One share per
    /// payment, in the same order; no share exceeds its payment.
    public static func allocateExcess(_ excess: Int64, over nets: [Int64]) -> [Int64] {
        var left = max(0, excess)
        var shares = Array(repeating: Int64(0), count: nets.count)
        for index in nets.indices.reversed() where left > 0 {
            shares[index] = min(max(0, nets[index]), left)
            left -= shares[index]
        }
        return shares
    }
}

extension Invoice {
    /// Whether a buyer can be offered "Pay now" for it (with a tenant that takes payments).
    public var isPayable: Bool { Self.isPayable(status: status, amountDue: amountDue) }

    /// The rule behind `isPayable`, for what holds an invoice's status and amount due only.
    public static func isPayable(status: InvoiceStatus, amountDue: Int64) -> Bool { status == .issued && amountDue > 0 }
}

/// Whether a buyer may pay `requested` (nil: the whole amount due) now, and how much.
public enum PaymentAmountRule {
    /// The amount to charge, or why not. `pending` is money on its way (a bank debit not yet
    /// confirmed), which the buyer is not asked to pay twice; `providerMinimum` is the
    /// provider's smallest charge in the currency (nil when unknown).
    public static func amount(requested: Int64?, invoice: Invoice, pending: Int64 = 0,
                              providerMinimum: Int64?) -> Result<Int64, PaymentRefusal> {
        switch invoice.status {
        case .draft: return .failure(.notPayable("this invoice has not been issued"))
        case .cancelled: return .failure(.notPayable("this invoice was cancelled"))
        case .paid: return .failure(.notPayable("this invoice is already paid"))
        case .issued: break
        }
        let money = { (amount: Int64) in Money(minorUnits: amount, currency: invoice.currency).formatted }
        guard invoice.amountDue > 0 else { return .failure(.notPayable("nothing is due on this invoice")) }
        let due = invoice.amountDue - max(0, pending)
        guard due > 0 else {
            return .failure(.notPayable("a payment of \(money(pending)) is already being processed for this invoice"))
        }
        let amount = requested ?? due
        if amount <= 0 { return .failure(.invalidAmount("amount must be greater than 0")) }
        if amount > due {
            let limit = pending > 0 ? "the amount left to pay (\(money(due)); \(money(pending)) is being processed)" : "the amount due (\(money(due)))"
            return .failure(.invalidAmount("amount must not exceed \(limit)"))
        }
        if amount < due {
            guard invoice.allowPartialPayments else {
                return .failure(.invalidAmount("this invoice must be paid in full (\(money(due)))"))
            }
            if let minimum = invoice.minimumPaymentAmount, amount < minimum {
                return .failure(.invalidAmount("amount must be at least the invoice's minimum payment (\(money(minimum)))"))
            }
        }
        if let providerMinimum, amount < providerMinimum {
            return .failure(.invalidAmount("amount must be at least \(money(providerMinimum)), the smallest card payment in \(invoice.currency.code)"))
        }
        return .success(amount)
    }
}

/// Why a payment cannot start.
public enum PaymentRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The invoice's state forbids paying it (draft, paid, cancelled, nothing due).
    case notPayable(String)
    /// The requested amount is outside what the invoice allows.
    case invalidAmount(String)

    public var description: String {
        switch self {
        case .notPayable(let message), .invalidAmount(let message): return message
        }
    }
}
