import Payments
import Testing

@Suite struct FormEncodingTests {
    @Test func followsTheWHATWGFormRules() {
        #expect(FormEncoding.percentEncode("a b") == "a+b")
        #expect(FormEncoding.percentEncode("AZaz09*-._") == "AZaz09*-._")
        #expect(FormEncoding.percentEncode("~!'()") == "%7E%21%27%28%29")
        #expect(FormEncoding.percentEncode("a+b=c&d%e/f?g#h") == "a%2Bb%3Dc%26d%25e%2Ff%3Fg%23h")
        #expect(FormEncoding.percentEncode("line\r\nbreak") == "line%0D%0Abreak")
        #expect(FormEncoding.percentEncode("") == "")
    }

    @Test func encodesUnicodeAsUTF8Bytes() {
        #expect(FormEncoding.percentEncode("Zoë Müller €") == "Zo%C3%AB+M%C3%BCller+%E2%82%AC")
        #expect(FormEncoding.percentEncode("請求書") == "%E8%AB%8B%E6%B1%82%E6%9B%B8")
        #expect(FormEncoding.percentEncode("🧾") == "%F0%9F%A7%BE")
        // A decomposed "é" (e + combining acute) keeps its two code points.
        #expect(FormEncoding.percentEncode("e\u{301}") == "e%CC%81")
    }

    /// Stripe replaces `{CHECKOUT_SESSION_ID}` after decoding the form once: the braces must
    /// be encoded exactly once (`%7B`), never twice (`%257B`) and never left raw.
    @Test func theCheckoutSessionPlaceholderIsEncodedOnce() {
        let url = "https://billing.example/pay/done?session={CHECKOUT_SESSION_ID}&lang=de"
        let body = FormEncoding.encode(["success_url": .string(url)])
        #expect(body == "success_url=https%3A%2F%2Fbilling.example%2Fpay%2Fdone%3Fsession%3D%7BCHECKOUT_SESSION_ID%7D%26lang%3Dde")
        #expect(!body.contains("%257B"))
    }

    @Test func flattensNestedObjectsAndListsWithBracketKeys() {
        let form: [String: FormValue] = [
            "mode": "payment",
            "line_items": [
                ["price_data": ["currency": "eur", "unit_amount": 4200, "product_data": ["name": "INV 1"]], "quantity": 1],
                ["price": "price_123", "quantity": 2],
            ],
            "metadata": ["b": "2", "a": "1"],
            "empty": [:],
            "none": [],
        ]
        let fields = FormEncoding.fields(form)
        #expect(fields.map(\.name) == [
            "line_items[0][price_data][currency]", "line_items[0][price_data][product_data][name]",
            "line_items[0][price_data][unit_amount]", "line_items[0][quantity]",
            "line_items[1][price]", "line_items[1][quantity]",
            "metadata[a]", "metadata[b]", "mode",
        ])
        #expect(fields.map(\.value) == ["eur", "INV 1", "4200", "1", "price_123", "2", "1", "2", "payment"])
        #expect(FormEncoding.encode(["metadata": ["tenant": "acme co"]]) == "metadata%5Btenant%5D=acme+co")
    }

    @Test func equalObjectsEncodeToEqualBodies() {
        let one: [String: FormValue] = ["z": "1", "a": ["y": "2", "b": "3"]]
        let two: [String: FormValue] = ["a": ["b": "3", "y": "2"], "z": "1"]
        #expect(FormEncoding.encode(one) == FormEncoding.encode(two))
        #expect(FormEncoding.encode(one) == "a%5Bb%5D=3&a%5By%5D=2&z=1")
    }
}
