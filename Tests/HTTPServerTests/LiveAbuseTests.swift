import TestSupport
import Testing
import HTTPServer
import Glibc

/// Clients that try to make the server hold memory or connection slots: pipelining without
/// reading, reading a byte at a time, and taking every slot from one address.
@Suite struct LiveAbuseTests {
    private static let padding = [UInt8](repeating: UInt8(ascii: "x"), count: 1000)

    /// Answers `<n>;` and a kilobyte of padding, so the order of answers can be checked.
    private static let numberedHandler: HTTPHandler = { request in
        HTTPResponse(body: Array("\(request.queryValue("n") ?? "?");".utf8) + padding)
    }

    @Test func pipeliningWithoutReadingKeepsTheServersMemoryBoundedAndLosesNoResponse() async throws {
        let count = 100_000
        try await withServer(HTTPServerConfiguration(port: 0), handler: Self.numberedHandler) { port, server in
            let (answered, firstWrong) = try await PipelineClient.offload {
                let client = try PipelineClient(port: port, receiveBufferBytes: 64 * 1024)
                for n in 0..<count { client.enqueue(Array("GET /p?n=\(n) HTTP/1.1\r\nHost: a\r\n\r\n".utf8)) }
                // Without back-pressure the server would answer everything it read into memory.
                client.sendUntilStalled(stall: .milliseconds(500))
                var answered = 0
                var firstWrong: Int?
                while answered < count {
                    for response in try client.readResponses(min(1000, count - answered), timeout: .seconds(20)) {
                        let expected = "\(answered);".utf8
                        if firstWrong == nil, response.status != 200 || !response.body.starts(with: expected)
                            || response.body.count != expected.count + 1000 {
                            firstWrong = answered
                        }
                        answered += 1
                    }
                }
                return (answered, firstWrong)
            }
            #expect(answered == count)
            #expect(firstWrong == nil)
            // 256 KiB of unsent output, 64 KiB of input and one read's overshoot, with room to spare;
            // without back-pressure this is tens of megabytes.
            let peak = server.statistics.peakBytesHeldByOneConnection
            #expect(peak > 0)
            #expect(peak < 1 << 20)
        }
    }

    @Test func aPeerReadingTooSlowlyIsClosedAfterOneWriteWindow() async throws {
        let size = 32 << 20
        let body = [UInt8](repeating: 1, count: size)
        let configuration = HTTPServerConfiguration(writeTimeout: .seconds(1), writeMinimumBytes: 16 << 20)
        try await withServer(configuration, handler: { _ in HTTPResponse(body: body) }) { port, _ in
            let (closed, received) = try await PipelineClient.offload {
                let client = try PipelineClient(port: port, receiveBufferBytes: 64 * 1024)
                client.enqueue(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
                client.sendUntilStalled(stall: .seconds(1))
                // About 6 MB/s: steady progress, but under the 16 MiB a second the server asks for.
                var received = 0
                let deadline = ContinuousClock.now + .seconds(4)
                while ContinuousClock.now < deadline {
                    guard let count = client.readSome(upTo: 64 * 1024) else { return (true, received) }
                    received += count
                    usleep(10_000)
                }
                return (false, received)
            }
            #expect(closed)
            #expect(received < size)
        }
    }

    @Test func oneAddressAtItsConnectionLimitDoesNotLockOutAnother() async throws {
        let configuration = HTTPServerConfiguration(maxConnectionsPerAddress: 2)
        try await withServer(configuration) { port, _ in
            let statuses = try await PipelineClient.offload {
                let first = try PipelineClient(port: port)
                let second = try PipelineClient(port: port)
                var statuses = [try first.status(of: "/1"), try second.status(of: "/2")]
                let third = try PipelineClient(port: port)
                statuses.append(try third.status(of: "/3"))
                let thirdClosed = third.waitForClose(timeout: .seconds(5))
                let elsewhere = try PipelineClient(port: port, from: "127.0.0.2")
                statuses.append(try elsewhere.status(of: "/4"))
                // The address at its limit keeps the connections it has.
                statuses += [try first.status(of: "/5"), try second.status(of: "/6")]
                return (statuses, thirdClosed)
            }
            #expect(statuses.0 == [200, 200, 503, 200, 200, 200])
            #expect(statuses.1)
        }
    }

    @Test func idleConnectionsAreClosedSoonerWhenTheServerNearsItsCap() async throws {
        // 7 of 8 connections is near capacity (until fewer than 6 remain); the normal idle
        // allowance is a minute.
        let configuration = HTTPServerConfiguration(idleTimeout: .seconds(60), maxConnections: 8,
                                                    maxConnectionsPerAddress: 8,
                                                    nearCapacityIdleTimeout: .milliseconds(200))
        try await withServer(configuration) { port, _ in
            let (statuses, oldestClosed, newcomerStatus, newcomerClosed) = try await PipelineClient.offload {
                var idle: [PipelineClient] = []
                var statuses: [Int] = []
                for n in 0..<7 {
                    let client = try PipelineClient(port: port)
                    statuses.append(try client.status(of: "/\(n)"))
                    idle.append(client)
                }
                // The longest idle go first, until the server is out of the near-capacity band.
                let oldestClosed = [idle[0].waitForClose(timeout: .seconds(5)), idle[1].waitForClose(timeout: .seconds(5))]
                // With the room made, a newcomer is served and kept alive as usual again.
                let newcomer = try PipelineClient(port: port)
                let newcomerStatus = try newcomer.status(of: "/new")
                return (statuses, oldestClosed, newcomerStatus, newcomer.waitForClose(timeout: .milliseconds(600)))
            }
            #expect(statuses == Array(repeating: 200, count: 7))
            #expect(oldestClosed == [true, true])
            #expect(newcomerStatus == 200)
            #expect(!newcomerClosed)
        }
    }
}
