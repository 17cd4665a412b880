import BillportCore
import Synchronization
import Testing

@Suite struct BlockingQueueTests {
    struct Refusal: Error, Equatable {}

    /// What the bodies of `bodiesRunOneAtATime` saw.
    final class Tally: Sendable {
        let state = Mutex((running: 0, overlaps: 0, done: 0))
    }

    @Test func runReturnsTheBodysValueAndThrowsItsTypedError() async {
        let queue = BlockingQueue(label: "test.blocking-queue")
        #expect((try? await queue.run { () throws(Refusal) in 42 }) == 42)
        do {
            _ = try await queue.run { () throws(Refusal) -> Int in throw Refusal() }
            Issue.record("expected the body's error")
        } catch {
            #expect(error == Refusal())   // typed: no cast needed
        }
    }

    /// Bodies never overlap: each sees the counter as the previous one left it.
    @Test func bodiesRunOneAtATime() async {
        let queue = BlockingQueue(label: "test.blocking-queue.serial")
        let tally = Tally()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    await queue.run {
                        tally.state.withLock { if $0.running > 0 { $0.overlaps += 1 }; $0.running += 1 }
                        tally.state.withLock { $0.running -= 1; $0.done += 1 }
                    }
                }
            }
        }
        #expect(tally.state.withLock { $0.overlaps } == 0)
        #expect(tally.state.withLock { $0.done } == 50)
    }

    @Test func runBlockingRunsOnTheQueueForCallersThatAreNotAsync() throws {
        let queue = BlockingQueue(label: "test.blocking-queue.sync")
        var local = 0
        let value = queue.runBlocking { local += 1; return local * 10 }
        #expect(value == 10)
        #expect(throws: Refusal.self) { try queue.runBlocking { () throws(Refusal) in throw Refusal() } }
    }
}
