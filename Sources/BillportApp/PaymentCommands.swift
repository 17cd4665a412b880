import API
import Foundation
import Billing

/// `billport tenant payments`: a tenant's plan and payment-provider keys from the shell.
enum PaymentCommands {
    static let all: [Command] = [
        Command(words: ["tenant", "payments"], summary: "show or change a tenant's plan and payment-provider keys",
                spec: CommandSpec(command: "billport tenant payments",
                                  options: ["plan", "stripe-key", "webhook-secret", "add-webhook-secret"], flags: ["disconnect"],
                                  positionals: ["tenant slug"]),
                help: """
            Usage: billport tenant payments SLUG [--plan free|pro] [--stripe-key sk_live_…] [--webhook-secret whsec_…]
                                                 [--add-webhook-secret whsec_…] [--disconnect]

            Shows (and with options changes) the tenant's online payments: buyers see "Pay now"
            when the plan is pro and a Stripe secret key is set. --webhook-secret replaces the
            signing secrets; --add-webhook-secret adds one while the old one still verifies
            (rolling a secret); --disconnect removes the key. A value of "-" reads it from standard
            input, so a key need not appear in the shell history. Keys are printed masked. The plan
            changes only here: the tenant API shows it and refuses a change (403).
            """) { arguments, context, console in
            let command = "billport tenant payments"
            let slug = arguments.positionals[0]
            let stores = try context.openBillingStores()
            guard let tenant = try await stores.tenants.tenant(slug: slug) else {
                throw StartupError("no tenant \(slug); create it with billport tenant create \(slug) --name …")
            }
            var settings = try await stores.payments.paymentSettings(tenantID: tenant.id)
            var update = PaymentSettingsUpdate(plan: arguments.option("plan"))
            if arguments.flags.contains("disconnect") { update.secretKey = .some(nil) }
            if let key = arguments.option("stripe-key") { update.secretKey = .some(readValue(key)) }
            if let secret = arguments.option("webhook-secret") { update.webhookSecrets = [readValue(secret)] }
            if let secret = arguments.option("add-webhook-secret") { update.webhookSecrets = settings.webhookSecrets + [readValue(secret)] }
            let changes = update.plan != nil || update.secretKey != nil || update.webhookSecrets != nil
            if changes {
                do throws(FieldError) {
                    settings = try update.applied(to: settings)
                } catch {
                    throw UsageError(command: command, message: "\(Self.option(for: error.field)): \(error.message)")
                }
                settings = try await stores.payments.updatePaymentSettings(tenantID: tenant.id, settings)
            }
            console.out("""
                tenant \(tenant.slug): plan \(settings.plan.rawValue), Stripe key \(settings.secretKey.map(PaymentSettings.masked) ?? "not set"), \
                webhook secrets \(settings.webhookSecrets.isEmpty ? "none" : settings.webhookSecrets.map(PaymentSettings.masked).joined(separator: " "))
                online payments: \(settings.acceptsOnlinePayments ? "on" : "off (needs plan pro and a Stripe key)")
                webhook endpoint for Stripe: \(context.configuration.api.publicBaseURL)/webhooks/stripe/\(tenant.slug)
                """)
            return 0
        },
    ]

    /// `-` reads one line from standard input; anything else is the value itself.
    private static func readValue(_ value: String) -> String {
        guard value == "-" else { return value }
        return (readLine(strippingNewline: true) ?? "").trimmingCharacters(in: .whitespaces)
    }

    private static func option(for field: String) -> String {
        switch field {
        case "secretKey": return "--stripe-key"
        case "plan": return "--plan"
        default: return "--webhook-secret"
        }
    }
}
