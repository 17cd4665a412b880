import BillportCore
import Foundation

/// Why a message is sent. Each category answers to one of the customer's preferences; a portal
/// link is a document (it gives access to the customer's documents).
public enum EmailCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case document, reminder, portal, marketing

    public init(from decoder: any Decoder) throws { self = try decoder.decodeChoice() }

    /// Whether a customer with `preferences` accepts this category now.
    public func isAllowed(by preferences: Customer.Preferences) -> Bool {
        switch self {
        case .document, .portal: preferences.document
        case .reminder: preferences.reminder
        case .marketing: preferences.marketing
        }
    }

    /// The preference that turns this category off (what one-click unsubscribe changes).
    public var preferenceKey: PreferenceKey {
        switch self {
        case .document, .portal: .document
        case .reminder: .reminder
        case .marketing: .marketing
        }
    }
}

/// One of the three toggles a customer controls.
public enum PreferenceKey: String, Sendable, Hashable, CaseIterable {
    case document, reminder, marketing
}

extension Customer.Preferences {
    public subscript(_ key: PreferenceKey) -> Bool {
        get {
            switch key {
            case .document: document
            case .reminder: reminder
            case .marketing: marketing
            }
        }
        set {
            switch key {
            case .document: document = newValue
            case .reminder: reminder = newValue
            case .marketing: marketing = newValue
            }
        }
    }
}

/// What happened to one message to one recipient.
public enum EmailStatus: String, Sendable, Hashable, Codable {
    /// Handed to the transport; if the process dies now, the next attempt cannot know whether
    /// the server took it (see `EmailLogEntry`).
    case sending
    case sent, suppressed, failed
}

/// One line of the email log: one message to one recipient.
public struct EmailLogEntry: Sendable, Hashable {
    public let id: Int64
    public let invoiceID: Int64?
    public let customerID: Int64
    public let category: EmailCategory
    public let recipient: String
    public let status: EmailStatus
    /// The server's reply when sent, the reason when suppressed, the error when failed.
    public let detail: String?
    public let messageID: String?
    public let createdAt: Date
    public let updatedAt: Date

    public init(id: Int64, invoiceID: Int64?, customerID: Int64, category: EmailCategory, recipient: String, status: EmailStatus, detail: String?, messageID: String?, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.invoiceID = invoiceID
        self.customerID = customerID
        self.category = category
        self.recipient = recipient
        self.status = status
        self.detail = detail
        self.messageID = messageID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The overdue-reminder rule, without I/O: which offset (days after the due date) to remind
/// for now. After downtime only the latest offset reached is sent, once — a customer never gets
/// the 1-day and the 7-day reminder in the same minute — and the skipped ones are never sent later.
public enum ReminderRule {
    /// Days after the due date at which overdue reminders go out unless configured otherwise.
    public static let defaultOffsets = [1, 7, 14]

    /// The offset to send today, or nil. `sent` holds the offsets already sent or skipped.
    public static func offsetDue(dueDate: CalendarDate, today: CalendarDate, offsets: [Int], sent: Set<Int>) -> Int? {
        let late = today.daysSinceEpoch - dueDate.daysSinceEpoch
        guard late > 0, let reached = offsets.filter({ $0 <= late }).max() else { return nil }
        // Anything at or beyond `reached` already done means this step is done too.
        guard !sent.contains(where: { $0 >= reached }) else { return nil }
        return reached
    }
}
