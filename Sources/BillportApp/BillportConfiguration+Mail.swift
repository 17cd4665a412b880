import Billing
import Foundation
import Mail

extension BillportConfiguration {
    /// `mail.*` and `reminders.offsets`. Without `mail.transport` messages go to an outbox
    /// folder, so `make run` works on a machine with no SMTP server.
    static func mail(_ reader: inout ConfigReader, dataDirectory: String, fileName: String) throws(ConfigError)
        -> (MailConfiguration, reminderOffsets: [Int]) {
        let defaults = MailConfiguration()
        let username = try reader.string("mail.username", default: "")
        let password = try reader.string("mail.password", default: "")
        let mailto = try reader.string("mail.unsubscribeMailto", default: "")
        let helo = try reader.string("mail.heloName", default: "")
        let caFile = try reader.string("mail.caFile", default: "")
        let fromName = try reader.string("mail.fromName", default: "")
        let outbox = try reader.string("mail.outboxDirectory", default: "")
        let mail = MailConfiguration(
            transport: try reader.choice("mail.transport", default: defaults.transport) { $0.rawValue },
            url: try reader.string("mail.url", default: defaults.url),
            username: username.isEmpty ? nil : username, password: password.isEmpty ? nil : password,
            startTLS: try reader.choice("mail.startTLS", default: defaults.startTLS) { $0.rawValue },
            connectTimeout: try reader.duration("mail.connectTimeout", default: defaults.connectTimeout, range: .milliseconds(100) ... .seconds(300)),
            timeout: try reader.duration("mail.timeout", default: defaults.timeout, range: .seconds(1) ... .seconds(3600)),
            heloName: helo.isEmpty ? nil : helo, caFile: caFile.isEmpty ? nil : caFile,
            insecureSkipVerify: try reader.bool("mail.insecureSkipVerify", default: defaults.insecureSkipVerify),
            fromAddress: try reader.string("mail.from", default: defaults.fromAddress), fromName: fromName.isEmpty ? nil : fromName,
            outboxDirectory: outbox.isEmpty ? dataDirectory + "/outbox" : outbox,
            unsubscribeMailto: mailto.isEmpty ? nil : mailto)
        do {
            try mail.validate()
        } catch {
            throw ConfigError(key: "mail", message: "\(error)", source: "in \(fileName) or BILLPORT_MAIL_…")
        }
        let offsets = try reader.integers("reminders.offsets", default: ReminderRule.defaultOffsets, range: 1...365)
        return (mail, offsets)
    }
}
