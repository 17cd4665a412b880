import BillportCore
import Synchronization
import TestSupport
import Testing

/// `ServiceGroup`: start order, reverse stop order, early returns, failures and the deadline,
/// with fake services that write what they see into one shared timeline.
@Suite struct ServiceGroupTests {
    /// What the fake services saw, in the order they saw it.
    final class Timeline: Sendable {
        private let events = Mutex<[String]>([])
        /// Triggered once every service expected has started.
        let allStarted = ShutdownSignal()
        private let expected: Int

        init(services: Int) {
            expected = services
        }

        func note(_ event: String) {
            let started = events.withLock { events in
                events.append(event)
                return events.filter { $0.hasSuffix(" started") }.count
            }
            if started == expected { allStarted.trigger() }
        }

        var all: [String] { events.withLock { $0 } }
    }

    struct FakeService: Service {
        enum Behaviour: Sendable {
            /// Runs until its signal, then drains over a few suspensions.
            case drains
            /// Returns as soon as it has started.
            case returnsAtOnce
            /// Throws as soon as it has started.
            case fails
            /// Ignores its signal and cancellation alike until `released`; then notes whether it
            /// was cancelled.
            case ignoresShutdown(released: ShutdownSignal)
        }

        let name: String
        let behaviour: Behaviour
        let timeline: Timeline

        func run(until shutdown: ShutdownSignal) async throws {
            timeline.note("\(name) started")
            switch behaviour {
            case .drains:
                await shutdown.wait()
                timeline.note("\(name) stopping")
                // Gives anything running side by side the chance to interleave, as a real drain would.
                for _ in 0..<20 { await Task.yield() }
                timeline.note("\(name) stopped")
            case .returnsAtOnce:
                timeline.note("\(name) returned")
            case .fails:
                throw FakeFailure()
            case .ignoresShutdown(let released):
                // An unstructured task does not inherit the cancellation.
                await Task { await released.wait() }.value
                timeline.note(Task.isCancelled ? "\(name) cancelled" : "\(name) ended")
            }
        }
    }

    struct FakeFailure: Error {}

    private func services(_ timeline: Timeline, _ specs: [(String, FakeService.Behaviour)]) -> [any Service] {
        specs.map { FakeService(name: $0.0, behaviour: $0.1, timeline: timeline) }
    }

    @Test func servicesStopOneAtATimeLastStartedFirst() async throws {
        let timeline = Timeline(services: 3)
        let group = ServiceGroup(services: services(timeline, [("worker", .drains), ("views", .drains), ("http", .drains)]),
                                 logger: .disabled)
        let shutdown = ShutdownSignal()
        let running = Task { try await group.run(until: shutdown) }
        await timeline.allStarted.wait()
        shutdown.trigger()
        try await running.value
        #expect(Array(timeline.all.dropFirst(3)) == [
            "http stopping", "http stopped", "views stopping", "views stopped", "worker stopping", "worker stopped",
        ])
    }

    @Test func aServiceReturningEarlyStopsTheOthersAndIsLogged() async throws {
        let timeline = Timeline(services: 3)
        let logs = InMemoryLogHandler()
        let group = ServiceGroup(services: services(timeline, [("worker", .drains), ("scheduler", .returnsAtOnce), ("http", .drains)]),
                                 logger: logs.logger())
        let shutdown = ShutdownSignal()
        try await group.run(until: shutdown)
        #expect(shutdown.isTriggered)
        let stops = timeline.all.filter { $0.hasSuffix("stopping") || $0.hasSuffix("stopped") }
        #expect(stops == ["http stopping", "http stopped", "worker stopping", "worker stopped"])
        #expect(logs.text.contains("service returned before shutdown; stopping the others service=scheduler"))
    }

    @Test func aFailureStopsTheOthersInOrderAndIsRethrown() async throws {
        let timeline = Timeline(services: 3)
        let group = ServiceGroup(services: services(timeline, [("worker", .drains), ("views", .drains), ("http", .fails)]),
                                 logger: .disabled)
        await #expect(throws: FakeFailure.self) { try await group.run(until: ShutdownSignal()) }
        let stops = timeline.all.filter { $0.hasSuffix("stopping") || $0.hasSuffix("stopped") }
        #expect(stops == ["views stopping", "views stopped", "worker stopping", "worker stopped"])
    }

    /// The one service never stops (how long the others would take does not matter here: on
    /// a busy machine even a quick drain can outlast a short deadline).
    @Test func theDeadlineCancelsAServiceThatWillNotStopAndEndsTheGroupWithoutIt() async throws {
        let timeline = Timeline(services: 1)
        let logs = InMemoryLogHandler()
        let released = ShutdownSignal()
        let group = ServiceGroup(services: services(timeline, [("stubborn", .ignoresShutdown(released: released))]),
                                 shutdownDeadline: .milliseconds(300), logger: logs.logger())
        let shutdown = ShutdownSignal()
        let running = Task { try await group.run(until: shutdown) }
        await timeline.allStarted.wait()
        shutdown.trigger()
        let error = await #expect(throws: ShutdownDeadlineExceeded.self) { try await running.value }
        #expect(error?.services == ["stubborn"])
        #expect(logs.text.contains("shutdown deadline passed; cancelling services still running services=stubborn deadline=300ms"))
        // The group returned while the stubborn service still ran; it was cancelled all the same.
        #expect(timeline.all == ["stubborn started"])
        released.trigger()
        try await eventually("the stubborn service ends") { timeline.all.count == 2 }
        #expect(timeline.all.last == "stubborn cancelled")
    }

    @Test func cancellingTheCallerCancelsTheServicesAndWaitsForThem() async throws {
        let timeline = Timeline(services: 2)
        let group = ServiceGroup(services: services(timeline, [("worker", .drains), ("http", .drains)]), logger: .disabled)
        let running = Task { try await group.run(until: ShutdownSignal()) }
        await timeline.allStarted.wait()
        running.cancel()
        try await running.value
        #expect(Set(timeline.all.filter { $0.hasSuffix("stopped") }) == ["worker stopped", "http stopped"])
    }

    @Test func anEmptyGroupReturnsAtOnce() async throws {
        try await ServiceGroup(services: [], logger: .disabled).run(until: ShutdownSignal())
    }
}
