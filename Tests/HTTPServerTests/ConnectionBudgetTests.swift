import Testing
@testable import HTTPServer

@Suite struct ConnectionBudgetTests {
    let budget = ConnectionBudget(outputHighWater: 256, outputLowWater: 64, maxBufferedInput: 100)

    @Test func outputBacksUpAboveTheHighMarkAndResumesOnlyAtTheLowMark() {
        #expect(!budget.outputBackedUp(unsent: 256, wasBackedUp: false))
        #expect(budget.outputBackedUp(unsent: 257, wasBackedUp: false))
        #expect(budget.outputBackedUp(unsent: 100, wasBackedUp: true))
        #expect(budget.outputBackedUp(unsent: 65, wasBackedUp: true))
        #expect(!budget.outputBackedUp(unsent: 64, wasBackedUp: true))
    }

    @Test func readingStopsAtTheInputBound() {
        #expect(budget.mayRead(buffered: 99))
        #expect(!budget.mayRead(buffered: 100))
    }

    @Test func oneRequestIsAlwaysQueuedHoweverLarge() {
        #expect(budget.mayQueue(queuedBytes: 0, queuedCount: 0))
        #expect(budget.mayQueue(queuedBytes: 99, queuedCount: 3))
        #expect(!budget.mayQueue(queuedBytes: 5000, queuedCount: 1))
    }

    @Test func aRequestHoldsItsTargetHeadersAndBody() {
        let request = HTTPRequest(method: .post, path: "/abc", headers: ["Host": "a"], body: [1, 2, 3])
        #expect(request.heldByteCount == 4 + 3 + (4 + 1 + 4))
    }

    @Test func nearCapacityBandHasHysteresis() {
        let configuration = HTTPServerConfiguration(maxConnections: 8)
        #expect(configuration.nearCapacityBand.enter == 7)
        #expect(configuration.nearCapacityBand.leave == 6)
        #expect(HTTPServerConfiguration(maxConnections: 512).nearCapacityBand == (448, 336))
    }
}
