import BillportCore
import Foundation
import Queue
import Testing

@Suite struct NewJobTests {
    @Test func rejectsMalformedPayloadsAndNamesTheField() {
        #expect(throws: JobValidationError(field: "payload", message: "is not valid JSON")) {
            try NewJob(kind: "pdf.render", payloadJSON: "{invoice: 1")
        }
    }

    @Test func rejectsBadKindsQueuesPrioritiesAndAttempts() {
        #expect(throws: JobValidationError.self) { try NewJob(kind: "", payloadJSON: "{}") }
        #expect(throws: JobValidationError.self) { try NewJob(kind: "PDF Render", payloadJSON: "{}") }
        #expect(throws: JobValidationError.self) { try NewJob(kind: "ok", payloadJSON: "{}", queue: "bad queue") }
        #expect(throws: JobValidationError.self) { try NewJob(kind: "ok", payloadJSON: "{}", priority: 10) }
        #expect(throws: JobValidationError.self) { try NewJob(kind: "ok", payloadJSON: "{}", maxAttempts: 0) }
        let error = try? #require(throws: JobValidationError.self) { try NewJob(kind: "PDF Render", payloadJSON: "{}") }
        #expect(error?.description == #"kind must be 1 to 100 characters of a-z, 0-9, '.', '_', '-' (got "PDF Render")"#)
    }

    @Test func encodesPayloadsWithSortedKeys() throws {
        struct Payload: Encodable, Sendable { let b = 2; let a = "x/y" }
        #expect(try NewJob(kind: "k", payload: Payload()).payload == #"{"a":"x/y","b":2}"#)
    }
}

@Suite struct RetryPolicyTests {
    @Test func doublesFromTheBaseUpToTheCap() {
        let policy = RetryPolicy(base: .seconds(2), maximum: .seconds(60), jitter: 0)
        let delays = (1...7).map { policy.delay(afterAttempt: $0, unit: 0.3) }
        #expect(delays == [.seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32), .seconds(60), .seconds(60)])
    }

    @Test func jitterTakesOffAtMostItsShare() {
        let policy = RetryPolicy(base: .seconds(10), maximum: .seconds(3600), jitter: 0.25)
        #expect(policy.delay(afterAttempt: 1, unit: 0) == .seconds(10))
        #expect(policy.delay(afterAttempt: 1, unit: 1) == .milliseconds(7500))
        #expect(policy.delay(afterAttempt: 1, unit: 0.5) == .milliseconds(8750))
    }

    @Test func hugeAttemptNumbersStayAtTheCap() {
        let policy = RetryPolicy(base: .seconds(2), maximum: .seconds(3600), jitter: 0)
        #expect(policy.delay(afterAttempt: 10_000, unit: 0) == .seconds(3600))
    }
}
