import BillportCore
import Foundation
import Queue
import Synchronization
import Testing
import Worker

/// A kind declared once is enqueued and handled with the same name, payload, queue and policies.
@Suite struct JobKindTests {
    struct Greeting: Codable, Sendable, Equatable { let name: String }

    static let greet = JobKind<Greeting>("test.greet", queue: "mail", maxAttempts: 2)
    static let slow = JobKind<NoPayload>("test.slow", maxAttempts: 1, timeout: .milliseconds(100))

    @Test func aKindEnqueuesOnItsQueueWithItsAttempts() throws {
        let job = try NewJob(Self.greet, Greeting(name: "Zoë"))
        #expect(job.kind == "test.greet")
        #expect(job.queue == "mail")
        #expect(job.maxAttempts == 2)
        #expect(job.payload == #"{"name":"Zoë"}"#)
        #expect(try NewJob(Self.greet, Greeting(name: "x"), queue: "default").queue == "default")
    }

    @Test func aTypedHandlerGetsTheDecodedPayload() async throws {
        let seen = Mutex<[Greeting]>([])
        let pool = try RunningPool(worker: .init(queues: ["mail": 1], heartbeatInterval: .milliseconds(50))) { handlers in
            handlers.register(Self.greet) { greeting, _ in seen.withLock { $0.append(greeting) } }
        }
        let id = try await pool.store.enqueue(NewJob(Self.greet, Greeting(name: "Zoë"))).id
        try await pool.waitFor(id, .done)
        #expect(seen.withLock { $0 } == [Greeting(name: "Zoë")])
        try await pool.stop()
    }

    @Test func aPayloadThatDoesNotFitTheKindIsDeadAtOnce() async throws {
        let pool = try RunningPool(worker: .init(queues: ["mail": 1], heartbeatInterval: .milliseconds(50))) { handlers in
            handlers.register(Self.greet) { _, _ in }
        }
        let id = try await pool.store.enqueue(NewJob(kind: "test.greet", payloadJSON: #"{"nom": 1}"#, queue: "mail")).id
        try await pool.waitFor(id, .dead)
        #expect(try await pool.job(id).lastError == "payload is not valid for test.greet: missing key 'name'")
        try await pool.stop()
    }

    @Test func aKindsOwnTimeoutOverridesTheWorkers() async throws {
        // The worker would wait five minutes; the kind says 100 ms.
        let pool = try RunningPool(worker: .init(queues: ["default": 1], jobTimeout: .seconds(300), heartbeatInterval: .milliseconds(50))) { handlers in
            handlers.register(Self.slow) { _, _ in try await Task.sleep(for: .seconds(60)) }
        }
        let id = try await pool.store.enqueue(NewJob(Self.slow, NoPayload())).id
        try await pool.waitFor(id, .dead)
        #expect(try await pool.job(id).lastError == "timed out after 100ms (attempt 1 of 1; no attempts left)")
        try await pool.stop()
    }
}
