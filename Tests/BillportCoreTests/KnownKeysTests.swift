import BillportCore
import Foundation
import Testing

/// Which key of a request a client misspelt, wherever it sits.
@Suite struct KnownKeysTests {
    struct Line: KnownKeys {
        enum CodingKeys: String, CodingKey, CaseIterable { case description, quantity }
    }
    struct Order: KnownKeys {
        enum CodingKeys: String, CodingKey, CaseIterable { case number, lines, buyer }
        static var nested: [String: any KnownKeys.Type] { ["lines": Line.self, "buyer": Buyer.self] }
    }
    struct Buyer: KnownKeys {
        enum CodingKeys: String, CodingKey, CaseIterable { case name }
    }

    func unknown(_ json: String) throws -> String? {
        Order.unknownKey(in: try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]))?.field
    }

    @Test func theFirstUnknownKeyIsNamedWithItsPathAtAnyDepth() throws {
        #expect(try unknown(#"{"number": "A-1", "lines": [{"description": "x", "quantity": 1}], "buyer": {"name": "Zoë"}}"#) == nil)
        #expect(try unknown(#"{"number": "A-1", "Number": "A-2"}"#) == "Number")
        #expect(try unknown(#"{"lines": [{"description": "x"}, {"description": "y", "qty": 2}]}"#) == "lines[1].qty")
        #expect(try unknown(#"{"buyer": {"name": "Zoë", "email": "z@example.com"}}"#) == "buyer.email")
        #expect(Order.unknownKey(in: ["zeta": 1, "alpha": 2])?.known == ["buyer", "lines", "number"])
    }

    @Test func valuesOfTheWrongShapeAreLeftToTheDecoder() throws {
        #expect(try unknown(#"[1, 2]"#) == nil)
        #expect(try unknown(#"{"lines": "none", "buyer": [1]}"#) == nil)
        #expect(try unknown(#"{"lines": [1, {"description": "x", "price": 1}]}"#) == "lines[1].price")
    }
}
