import Billing
import Testing

/// What a tenant may do to an invoice in each status.
@Suite struct InvoiceLifecycleTests {
    func allowed(_ action: InvoiceLifecycle.Action) -> [InvoiceStatus] {
        InvoiceStatus.allCases.filter { status in (try? InvoiceLifecycle.check(action, from: status)) != nil }
    }

    @Test func onlyDraftsAreEditedOrIssuedAndOnlyDraftsOrIssuedInvoicesCancelled() {
        #expect(allowed(.edit) == [.draft])
        #expect(allowed(.issue) == [.draft])
        #expect(Set(allowed(.cancel)) == [.draft, .issued])
    }

    @Test func creditNotesNeedAnIssuedOrPaidInvoiceAndDeliveryAnyButADraft() {
        #expect(Set(allowed(.credit)) == [.issued, .paid])
        #expect(Set(allowed(.recordDelivery)) == Set(InvoiceStatus.allCases).subtracting([.draft]))
    }

    @Test func refusalsAreConflictsTheTenantCanRead() {
        #expect(throws: BillingError.conflict(code: "invalid_status", message: "an issued invoice cannot be edited; issue a credit note instead")) {
            try InvoiceLifecycle.check(.edit, from: .issued)
        }
        #expect(throws: BillingError.conflict(code: "invalid_status", message: "a paid invoice cannot be cancelled; issue a credit note instead")) {
            try InvoiceLifecycle.check(.cancel, from: .paid)
        }
        #expect(throws: BillingError.conflict(code: "invalid_status", message: "a draft invoice cannot be marked as delivered; issue it first")) {
            try InvoiceLifecycle.check(.recordDelivery, from: .draft)
        }
        #expect(InvoiceLifecycle.Transition.issue.target == .issued)
        #expect(InvoiceLifecycle.Transition.cancel.target == .cancelled)
    }
}

/// Which payments carry an invoice's excess.
@Suite struct ExcessAllocationTests {
    @Test func theNewestPaymentsCarryTheExcess() {
        #expect(PaymentLedger.allocateExcess(0, over: [500, 500]) == [0, 0])
        #expect(PaymentLedger.allocateExcess(300, over: [500, 500]) == [0, 300])
        #expect(PaymentLedger.allocateExcess(700, over: [500, 500]) == [200, 500])
        #expect(PaymentLedger.allocateExcess(1000, over: [500, 0, 500]) == [500, 0, 500])
    }

    @Test func noShareExceedsItsPaymentAndNothingIsInvented() {
        #expect(PaymentLedger.allocateExcess(5000, over: [500, 500]) == [500, 500])
        #expect(PaymentLedger.allocateExcess(-10, over: [500]) == [0])
        #expect(PaymentLedger.allocateExcess(100, over: []) == [])
        #expect(PaymentLedger.allocateExcess(Int64.max, over: [Int64.max, Int64.max]) == [0, Int64.max])
    }
}

/// What a tenant may ask Billport to send.
@Suite struct EmailRequestRuleTests {
    @Test func customerMessagesArePortalLinksOrMarketingWithASubject() {
        #expect(throws: BillingError.self) { try EmailRequestRule.checkCustomerMessage(category: .document, subject: nil, message: nil) }
        #expect(throws: BillingError.invalid(.init("subject", "must be 1 to 200 characters on one line"))) {
            try EmailRequestRule.checkCustomerMessage(category: .marketing, subject: "Two\nlines", message: "Hello")
        }
        #expect(throws: BillingError.invalid(.init("message", "must be 1 to 5000 characters"))) {
            try EmailRequestRule.checkCustomerMessage(category: .marketing, subject: "News", message: nil)
        }
        #expect(throws: Never.self) { try EmailRequestRule.checkCustomerMessage(category: .portal, subject: nil, message: nil) }
        #expect(throws: BillingError.invalid(.init("message", "must be at most 2000 characters"))) {
            try EmailRequestRule.checkCustomerMessage(category: .portal, subject: nil, message: String(repeating: "x", count: 2001))
        }
    }

    @Test func invoiceMessagesGoToOneToTenPlausibleAddresses() {
        #expect(throws: BillingError.invalid(.init("recipients", "must list 1 to 10 addresses"))) {
            try EmailRequestRule.checkInvoiceMessage(recipients: [], message: nil)
        }
        #expect(throws: BillingError.invalid(.init("recipients[1]", "is not an email address"))) {
            try EmailRequestRule.checkInvoiceMessage(recipients: ["a@example.com", "not an address"], message: nil)
        }
        #expect(throws: Never.self) { try EmailRequestRule.checkInvoiceMessage(recipients: nil, message: "Thanks") }
    }
}
