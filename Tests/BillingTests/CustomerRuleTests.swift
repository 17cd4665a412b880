import Billing
import Foundation
import Testing

/// The pure rules behind the customer routes and `Idempotency-Key`.
@Suite struct CustomerRuleTests {
    let customer = Customer(id: 7, name: "Zoë Müller", email: "zoe@example.com", preferences: .init(), createdAt: Date(timeIntervalSince1970: 0))

    @Test func aSearchMatchesNameOrEmailIgnoringCaseAndAccentsWithinItsBounds() throws {
        #expect(try CustomerSearch("MULLER").matches(customer) && CustomerSearch("zoe@").matches(customer))
        #expect(try !CustomerSearch("nobody").matches(customer))
        #expect(try CustomerSearch("  zoë ").text == "zoë")
        #expect(throws: FieldError.self) { try CustomerSearch(String(repeating: "a", count: 101)) }
        #expect(throws: FieldError.self) { try CustomerSearch("   ") }
        #expect(throws: FieldError.self) { try CustomerSearch("a\nb") }
    }

    @Test func aChangeKeepsWhatItDoesNotNameAndValidatesWhatItDoes() throws {
        var change = CustomerChange(name: " Zoë M. ")
        var toggles = try JSONDecoder().decode(CustomerChange.PreferencesChange.self, from: Data(#"{"marketing": true}"#.utf8))
        change.preferences = toggles
        let fields = try change.applied(to: customer)
        #expect(fields.name == "Zoë M." && fields.email == "zoe@example.com")
        #expect(fields.preferences == .init(document: true, reminder: true, marketing: true))
        #expect(throws: BillingError.invalid(FieldError("email", "must be an email address like name@example.com"))) {
            try CustomerChange(email: "nope").applied(to: customer)
        }
        toggles.marketing = nil
        let erased = Customer(id: 7, name: CustomerErasure.name, email: CustomerErasure.email(customerID: 7), preferences: .init(),
                              createdAt: customer.createdAt, erasedAt: Date())
        #expect(throws: BillingError.self) { try CustomerChange(name: "Zoë").applied(to: erased) }
        #expect(try CustomerChange(preferences: toggles).applied(to: erased).name == CustomerErasure.name)
        #expect(!EmailAddress.isPlausible("") && CustomerErasure.email(customerID: 7).hasSuffix(".invalid"))
    }

    @Test func anIdempotencyKeyIsOneTo255PrintableCharacters() {
        #expect(IdempotencyRule.validKey("order-42_retry.1") == "order-42_retry.1")
        #expect(IdempotencyRule.validKey(String(repeating: "k", count: 255)) != nil)
        #expect(IdempotencyRule.validKey(String(repeating: "k", count: 256)) == nil)
        #expect(IdempotencyRule.validKey("") == nil && IdempotencyRule.validKey("two words") == nil && IdempotencyRule.validKey("ключ") == nil)
    }
}
