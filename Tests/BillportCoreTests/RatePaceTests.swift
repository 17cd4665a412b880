import BillportCore
import Testing

/// The pace that keeps webhook deliveries from taking the API's CPU: slots by arithmetic on a
/// given instant, so nothing here waits.
@Suite struct RatePaceTests {
    let start = ContinuousClock.now

    @Test func aBurstPassesAtOnceThenSlotsComeOneIntervalApart() {
        var pace = RatePace(perSecond: 100, burst: 3)
        let waits = (0..<6).map { _ in pace.reserve(now: start) }
        #expect(waits == [.zero, .zero, .zero, .milliseconds(10), .milliseconds(20), .milliseconds(30)])
    }

    @Test func timeThatPassedRefillsTheBurstButNoMore() {
        var pace = RatePace(perSecond: 100, burst: 2)
        _ = (0..<4).map { _ in pace.reserve(now: start) }
        // A second later the queue of slots has long drained: two pass at once, the third waits.
        let later = start + .seconds(1)
        #expect([pace.reserve(now: later), pace.reserve(now: later), pace.reserve(now: later)] == [.zero, .zero, .milliseconds(10)])
    }

    @Test func overALongRunTheAverageIsTheRate() {
        var pace = RatePace(perSecond: 2_000, burst: 64)
        var now = start
        var taken = 0
        // A caller that always uses its slot as soon as it is free, for one simulated second.
        while now < start + .seconds(1) {
            now += pace.reserve(now: now)
            taken += 1
        }
        #expect((2_000...2_000 + 64).contains(taken))
    }

    @Test func nonsenseRatesAreClampedRatherThanTrapping() {
        var pace = RatePace(perSecond: 0, burst: 0)
        #expect(pace.perSecond == 1 && pace.burst == 1)
        #expect(pace.reserve(now: start) == .zero && pace.reserve(now: start) == .seconds(1))
    }
}

extension RatePaceTests {
    @Test func takingSeveralSlotsMakesTheNextCallerWaitForAllOfThem() {
        var pace = RatePace(perSecond: 100, burst: 1)
        #expect(pace.reserve(now: start, count: 5) == .zero)
        #expect(pace.reserve(now: start, count: 1) == .milliseconds(50))
        #expect(pace.reserve(now: start, count: 0) == .milliseconds(60))
    }

    @Test func aSharedPaceTakesTenMillisecondsOfSlotsPerWait() {
        #expect(SharedRatePace(perSecond: 1_250, burst: 64).slotsPerWait == 12)
        #expect(SharedRatePace(perSecond: 50, burst: 64).slotsPerWait == 1)
        #expect(SharedRatePace(perSecond: 0, burst: 64).slotsPerWait == Int.max)
    }
}
