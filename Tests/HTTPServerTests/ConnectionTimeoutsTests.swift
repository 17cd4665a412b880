import Testing
@testable import HTTPServer

/// A fake instant: seconds since an arbitrary zero, so tests state times as plain numbers.
struct FakeInstant: InstantProtocol {
    var offset: Duration

    static func at(_ seconds: Double) -> FakeInstant { FakeInstant(offset: .milliseconds(Int(seconds * 1000))) }
    func advanced(by duration: Duration) -> FakeInstant { FakeInstant(offset: offset + duration) }
    func duration(to other: FakeInstant) -> Duration { other.offset - offset }
    static func < (lhs: FakeInstant, rhs: FakeInstant) -> Bool { lhs.offset < rhs.offset }
}

@Suite struct ConnectionTimeoutsTests {
    typealias Machine = ConnectionTimeouts<FakeInstant>
    let limits = Machine.Limits(head: .seconds(10), body: .seconds(30), idle: .seconds(60),
                                write: .seconds(5), linger: .seconds(2))

    private func at(_ seconds: Double) -> FakeInstant { .at(seconds) }

    @Test func silentNewConnectionGetsTheHeadAllowance() {
        var machine = Machine(limits: limits, now: at(0))
        #expect(machine.start() == .schedule(at(10)))
        #expect(machine.timeoutFired(now: at(9.9)) == .schedule(at(10)))
        #expect(machine.timeoutFired(now: at(10)) == .close(.head))
    }

    @Test func slowlorisDrippingBytesDoesNotExtendTheHeadDeadline() {
        var machine = Machine(limits: limits, now: at(0))
        #expect(machine.readPhaseChanged(to: .head, now: at(2)) == .schedule(at(12)))
        for second in 3...11 {
            #expect(machine.readPhaseChanged(to: .head, now: at(Double(second))) == .schedule(at(12)))
        }
        #expect(machine.timeoutFired(now: at(12)) == .requestTimeout(.head))
    }

    @Test func bodyAllowanceStartsWhenTheHeadEnds() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .head, now: at(1))
        #expect(machine.readPhaseChanged(to: .body, now: at(4)) == .schedule(at(34)))
        #expect(machine.timeoutFired(now: at(10)) == .schedule(at(34)))
        #expect(machine.timeoutFired(now: at(34)) == .requestTimeout(.body))
    }

    @Test func headAndBodyInOneReadStartTheBodyAllowance() {
        var machine = Machine(limits: limits, now: at(0))
        #expect(machine.readPhaseChanged(to: .body, now: at(1)) == .schedule(at(31)))
    }

    @Test func noReadDeadlineWhileARequestIsInFlight() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .head, now: at(1))
        _ = machine.readPhaseChanged(to: .idle, now: at(1))
        #expect(machine.requestReceived(now: at(1)) == .none)
        #expect(machine.timeoutFired(now: at(500)) == .none)
    }

    @Test func keptAliveConnectionGetsTheIdleAllowanceAfterItsResponse() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .head, now: at(1))
        _ = machine.readPhaseChanged(to: .idle, now: at(1))
        _ = machine.requestReceived(now: at(1))
        #expect(machine.responseWritten(now: at(20)) == .schedule(at(80)))
        #expect(machine.timeoutFired(now: at(79)) == .schedule(at(80)))
        #expect(machine.timeoutFired(now: at(80)) == .close(.idle))
    }

    @Test func pipelinedPartialHeadGetsAFullAllowanceAfterTheResponse() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .head, now: at(0))
        _ = machine.requestReceived(now: at(0))
        // The next head started arriving while the handler ran for 50 s.
        _ = machine.readPhaseChanged(to: .head, now: at(0.5))
        #expect(machine.timeoutFired(now: at(50)) == .none)
        #expect(machine.responseWritten(now: at(50)) == .schedule(at(60)))
        #expect(machine.timeoutFired(now: at(60)) == .requestTimeout(.head))
    }

    @Test func pipelinedRequestsKeepTheConnectionBusyUntilTheLastResponse() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.requestReceived(now: at(0))
        _ = machine.requestReceived(now: at(0))
        #expect(machine.responseWritten(now: at(1)) == .none)
        #expect(machine.responseWritten(now: at(2)) == .schedule(at(62)))
    }

    @Test func continueRestartsTheBodyAllowance() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .body, now: at(0))
        #expect(machine.continueSent(now: at(20)) == .schedule(at(50)))
    }

    @Test func stalledWriteClosesAfterTheWriteAllowance() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.requestReceived(now: at(0))
        #expect(machine.wrote(pendingBytes: 100, writtenBytes: 50, now: at(1)) == .schedule(at(6)))
        #expect(machine.wrote(pendingBytes: 100, writtenBytes: 0, now: at(3)) == .schedule(at(6)))
        #expect(machine.timeoutFired(now: at(6)) == .close(.write))
    }

    @Test func enoughProgressInAWindowEarnsTheNextWindow() {
        var limits = limits
        limits.writeMinimumBytes = 1000
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.requestReceived(now: at(0))
        _ = machine.wrote(pendingBytes: 5000, writtenBytes: 0, now: at(1))
        #expect(machine.wrote(pendingBytes: 4000, writtenBytes: 1000, now: at(4)) == .schedule(at(6)))
        // Progress does not move the deadline; reaching it with enough progress opens a new window.
        #expect(machine.timeoutFired(now: at(6)) == .schedule(at(11)))
        #expect(machine.wrote(pendingBytes: 0, writtenBytes: 4000, now: at(8)) == .none)
        #expect(machine.timeoutFired(now: at(11)) == .none)
    }

    @Test func aPeerReadingAByteAtATimeIsClosedAtTheEndOfTheWindow() {
        var limits = limits
        limits.writeMinimumBytes = 1000
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.requestReceived(now: at(0))
        _ = machine.wrote(pendingBytes: 5000, writtenBytes: 0, now: at(1))
        var pending = 5000
        for tenth in 11...59 {
            pending -= 1
            #expect(machine.wrote(pendingBytes: pending, writtenBytes: 1, now: at(Double(tenth) / 10)) == .schedule(at(6)))
        }
        #expect(machine.timeoutFired(now: at(6)) == .close(.write))
    }

    @Test func aShortTailNeedsOnlyWhatWasPending() {
        var limits = limits
        limits.writeMinimumBytes = 1000
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.requestReceived(now: at(0))
        _ = machine.wrote(pendingBytes: 10, writtenBytes: 0, now: at(1))
        _ = machine.wrote(pendingBytes: 5, writtenBytes: 5, now: at(2))
        #expect(machine.timeoutFired(now: at(6)) == .close(.write))

        var finishing = Machine(limits: limits, now: at(0))
        _ = finishing.requestReceived(now: at(0))
        _ = finishing.wrote(pendingBytes: 10, writtenBytes: 0, now: at(1))
        _ = finishing.wrote(pendingBytes: 1, writtenBytes: 10, now: at(2))
        #expect(finishing.timeoutFired(now: at(6)) == .schedule(at(11)))
    }

    @Test func stalledWriteAndReadDeadlineTakeTheEarlier() {
        var machine = Machine(limits: limits, now: at(0))
        // A refusal being written while nothing is in flight: the head allowance still runs.
        #expect(machine.wrote(pendingBytes: 100, writtenBytes: 0, now: at(8)) == .schedule(at(10)))
        #expect(machine.timeoutFired(now: at(10)) == .close(.head))
    }

    @Test func nearCapacityShortensTheIdleAllowance() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.requestReceived(now: at(0))
        #expect(machine.responseWritten(now: at(1)) == .schedule(at(61)))
        #expect(machine.capacityChanged(nearCapacity: true, now: at(2)) == .schedule(at(3)))
        #expect(machine.timeoutFired(now: at(3)) == .close(.idle))
    }

    @Test func aConnectionIdleLongerThanTheShortAllowanceIsClosedAtOnceNearCapacity() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.requestReceived(now: at(0))
        _ = machine.responseWritten(now: at(1))
        #expect(machine.capacityChanged(nearCapacity: true, now: at(30)) == .schedule(at(3)))
        #expect(machine.timeoutFired(now: at(30)) == .close(.idle))
    }

    @Test func leavingNearCapacityRestoresTheIdleAllowance() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.capacityChanged(nearCapacity: true, now: at(0))
        #expect(machine.start() == .schedule(at(2)))
        #expect(machine.capacityChanged(nearCapacity: false, now: at(1)) == .schedule(at(10)))
        #expect(machine.timeoutFired(now: at(2)) == .schedule(at(10)))
    }

    @Test func nearCapacityLeavesARequestInProgressAlone() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .head, now: at(1))
        #expect(machine.capacityChanged(nearCapacity: true, now: at(2)) == .schedule(at(11)))
    }

    @Test func lingerOverridesEverythingElse() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.requestReceived(now: at(0))
        _ = machine.responseWritten(now: at(1))
        #expect(machine.lingerStarted(now: at(1)) == .schedule(at(3)))
        #expect(machine.timeoutFired(now: at(3)) == .close(.linger))
    }

    @Test func quiesceClosesAnIdleConnectionAtOnce() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.requestReceived(now: at(0))
        _ = machine.responseWritten(now: at(1))
        #expect(machine.quiesce() == .close)
        #expect(machine.closeAfterResponse)
    }

    @Test func quiesceLetsInFlightWorkFinish() {
        var busy = Machine(limits: limits, now: at(0))
        _ = busy.requestReceived(now: at(0))
        #expect(busy.quiesce() == .closeAfterResponse)
        #expect(busy.closeAfterResponse)

        var reading = Machine(limits: limits, now: at(0))
        _ = reading.readPhaseChanged(to: .head, now: at(0))
        #expect(reading.quiesce() == .closeAfterResponse)
    }
}
