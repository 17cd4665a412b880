import Testing
@testable import HTTPServer

/// When a read deadline passes, the timeout machine decides between a silent close and a
/// `408 Request Timeout`: only a client that has started a request is told.
@Suite struct RequestTimeoutTests {
    typealias Machine = ConnectionTimeouts<FakeInstant>
    let limits = Machine.Limits(head: .seconds(10), body: .seconds(30), idle: .seconds(60),
                                write: .seconds(5), linger: .seconds(2))

    private func at(_ seconds: Double) -> FakeInstant { .at(seconds) }

    @Test func partialHeadIsAnswered408ThenLingers() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .head, now: at(1))
        #expect(machine.timeoutFired(now: at(10.9)) == .schedule(at(11)))
        #expect(machine.timeoutFired(now: at(11)) == .requestTimeout(.head))
        // The 408 is in flight: no read deadline, and no second 408.
        #expect(machine.inFlight == 1)
        #expect(machine.timeoutFired(now: at(500)) == .none)
        #expect(machine.wrote(pendingBytes: 0, writtenBytes: 100, now: at(11)) == .none)
        _ = machine.responseWritten(now: at(11))
        #expect(machine.lingerStarted(now: at(11)) == .schedule(at(13)))
        #expect(machine.timeoutFired(now: at(13)) == .close(.linger))
    }

    @Test func stalledBodyIsAnswered408() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .body, now: at(2))
        #expect(machine.timeoutFired(now: at(32)) == .requestTimeout(.body))
        #expect(machine.timeoutFired(now: at(33)) == .none)
    }

    @Test func stalledBodyAfterContinueIsAnswered408() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .body, now: at(0))
        _ = machine.continueSent(now: at(5))
        #expect(machine.timeoutFired(now: at(34)) == .schedule(at(35)))
        #expect(machine.timeoutFired(now: at(35)) == .requestTimeout(.body))
    }

    @Test func silentNewConnectionClosesWithoutAWord() {
        var machine = Machine(limits: limits, now: at(0))
        #expect(machine.timeoutFired(now: at(10)) == .close(.head))
    }

    @Test func idleKeptAliveConnectionClosesWithoutAWord() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .head, now: at(0))
        _ = machine.readPhaseChanged(to: .idle, now: at(0))
        _ = machine.requestReceived(now: at(0))
        _ = machine.responseWritten(now: at(1))
        #expect(machine.timeoutFired(now: at(61)) == .close(.idle))
    }

    @Test func completedRequestThenSilenceIsNotAPartialRequest() {
        // The head arrived, was parsed into a request and answered; nothing followed.
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .head, now: at(0))
        _ = machine.requestReceived(now: at(1))
        _ = machine.readPhaseChanged(to: .idle, now: at(1))
        _ = machine.responseWritten(now: at(2))
        #expect(machine.timeoutFired(now: at(62)) == .close(.idle))
    }

    @Test func partialHeadOnAKeptAliveConnectionIsAnswered408() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.requestReceived(now: at(0))
        _ = machine.responseWritten(now: at(1))
        _ = machine.readPhaseChanged(to: .head, now: at(30))
        #expect(machine.timeoutFired(now: at(40)) == .requestTimeout(.head))
    }

    @Test func peerThatStopsReadingGetsNo408() {
        // A write stall that expires before the head deadline closes silently: a peer that
        // does not read would never see the 408.
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .head, now: at(0))
        #expect(machine.wrote(pendingBytes: 100, writtenBytes: 0, now: at(1)) == .schedule(at(6)))
        #expect(machine.timeoutFired(now: at(6)) == .close(.write))
    }

    @Test func quiesceWhileA408IsOwedFinishesIt() {
        var machine = Machine(limits: limits, now: at(0))
        _ = machine.readPhaseChanged(to: .head, now: at(0))
        _ = machine.timeoutFired(now: at(10))
        #expect(machine.quiesce() == .closeAfterResponse)
    }
}
