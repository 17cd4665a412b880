import BillportCore
import Foundation
import Billing
import Testing

/// The pure rules behind what a buyer may see and what a tenant may type.
@Suite struct BuyerFacingRuleTests {
    @Test func singleLineTextRefusesControlCharactersAndSeparators() {
        for bad in ["a\rb", "a\nb", "a\tb", "\u{0}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{2028}", "\u{2029}"] {
            #expect(SingleLineText.hasForbiddenCharacter(bad), "\(bad.debugDescription)")
        }
        for fine in ["Zoë Müller-Łukasiewicz", "株式会社", "O'Brien & Co.", "\u{A0}", "😀"] {
            #expect(!SingleLineText.hasForbiddenCharacter(fine), "\(fine)")
        }
    }

    @Test func customerNamesAndEmailsAreTrimmedAndChecked() throws {
        #expect(try CustomerName("  Acme  ").value == "Acme")
        #expect(throws: FieldError("name", "must be 1 to 200 characters")) { try CustomerName("   ") }
        #expect(throws: FieldError("name", "must not contain line breaks or control characters")) { try CustomerName("A\r\nB") }
        #expect(try EmailAddress(" a@b.example ").value == "a@b.example")
        #expect(throws: FieldError("email", "must not contain line breaks or control characters")) { try EmailAddress("a@b.example\r\n") }
        #expect(throws: FieldError("email", "must be an email address like name@example.com")) { try EmailAddress("a@b") }
        #expect(throws: FieldError("recipients[0]", "must be an email address like name@example.com")) { try EmailAddress("x", field: "recipients[0]") }
    }

    @Test func brandColoursAreASCIIHexOnly() {
        #expect(Branding.isValidColor("#1F6FEB"))
        #expect(Branding.isValidColor("#abcdef"))
        #expect(!Branding.isValidColor("#１２３４５６"))
        #expect(!Branding.isValidColor("#12345６"))
        #expect(!Branding.isValidColor("#GGGGGG"))
        #expect(!Branding.isValidColor("123456"))
        #expect(!Branding.isValidColor("#12345"))
    }
}
