@testable import API
import BillportCore
import Foundation
import Testing

/// The words a decoding failure is answered with, without a server.
@Suite struct DecodingAnswerUnitTests {
    struct Order: Decodable {
        enum Status: String, Decodable, CaseIterable {
            case open, shipped
            init(from decoder: any Decoder) throws { self = try decoder.decodeChoice() }
        }
        let status: Status
        let total: Int64
        let note: String?
        enum CodingKeys: String, CodingKey { case status, total, note }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decode(Status.self, forKey: .status)
            total = try container.decodeMinorUnits(forKey: .total)
            note = try container.decodeIfPresent(String.self, forKey: .note)
        }
    }

    func answer(_ json: String) -> APIError? {
        do {
            _ = try JSONDecoder().decode(Order.self, from: Data(json.utf8))
            return nil
        } catch let error as DecodingError {
            return DecodingAnswer.apiError(error, bodyIsJSON: true)
        } catch {
            return nil
        }
    }

    @Test func eachFailureIsASentenceNamingTheField() {
        #expect(answer(#"{"status": "lost", "total": 1}"#) == APIError(status: 422, code: "invalid_field", message: "status must be one of: open, shipped", field: "status"))
        #expect(answer(#"{"status": "open", "total": 1.5}"#)?.message == "total must be an integer amount in minor units (e.g. 150 for 1.50)")
        #expect(answer(#"{"status": "open", "total": "1"}"#)?.field == "total")
        #expect(answer(#"{"status": "open"}"#)?.message == "total is required")
        #expect(answer(#"{"status": "open", "total": 1, "note": 5}"#)?.message == "note must be a string")
        #expect(answer(#"{"status": 3, "total": 1}"#)?.message == "status must be one of: open, shipped")
        #expect(answer(#"[]"#)?.message == "the body must be an object")
    }
}
