import BillportCore
import Foundation
import Testing

@Suite struct SignalTests {
    @Test func shutdownReleasesEveryWaiterAndStaysTriggered() async {
        let signal = ShutdownSignal()
        async let first: Void = signal.wait()
        async let second: Void = signal.wait()
        #expect(await signal.wait(timeout: .milliseconds(20)) == false)
        signal.trigger()
        _ = await (first, second)
        #expect(signal.isTriggered)
        #expect(await signal.wait(timeout: .seconds(60)))
    }

    @Test func aRingBeforeTheWaitIsNotLost() async {
        let bell = Doorbell()
        bell.ring()
        #expect(await bell.wait(timeout: .seconds(60)))
        #expect(await bell.wait(timeout: .milliseconds(20)) == false)
    }

    @Test func aRingWakesAWaiterAtOnce() async {
        let bell = Doorbell()
        let start = ContinuousClock.now
        async let woke = bell.wait(timeout: .seconds(60))
        try? await Task.sleep(for: .milliseconds(20))
        bell.ring()
        #expect(await woke)
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test func cancellingAWaiterReturnsAtOnce() async {
        let signal = ShutdownSignal()
        let waiter = Task { await signal.wait() }
        waiter.cancel()
        await waiter.value
        #expect(!signal.isTriggered)
    }
}

@Suite struct LoggerTests {
    final class Lines: LogHandler, @unchecked Sendable {
        var records: [LogRecord] = []
        func write(_ record: LogRecord) { records.append(record) }
    }

    @Test func writesOneLineWithTheLoggersMetadataFirstAndEscapesNewlines() {
        let lines = Lines()
        let logger = Logger(label: "worker", level: .info, handler: lines).with("worker", "w1")
        logger.debug("dropped")
        logger.warning("job failed\nforged line", ["error": "smtp said \"no\"", "job": "12"])
        #expect(lines.records.count == 1)
        let text = lines.records[0].formatted
        #expect(text.hasSuffix(#"warning worker: job failed\nforged line worker=w1 error="smtp said \"no\"" job=12"#))
        #expect(!text.contains("\n"))
    }
}
