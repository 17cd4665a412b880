import BillportCore
import Foundation
import HTTPClient

/// Medians of repeated requests whose run time stays bounded when they are slow: one warm-up,
/// then 50 samples, or at most 15 once any (warm-up included) took more than 200 ms.
struct LatencySampler {
    static let samples = 50
    static let slowSamples = 15
    static let slowMilliseconds = 200.0

    /// A median and how many samples it is of.
    struct Sampled {
        let median: Double
        let count: Int
        /// Printed beside the target when the sample count was cut.
        var note: String { count < LatencySampler.samples ? "n=\(count), a sample > \(Int(LatencySampler.slowMilliseconds)) ms" : "" }
    }

    /// Times `request` (milliseconds) as above; `name` labels the line printed when samples are cut.
    static func median(_ name: String, _ request: () async throws -> Void) async throws -> Sampled {
        var target = samples
        if try await milliseconds(request) > slowMilliseconds { target = slowSamples }
        var taken: [Double] = []
        while taken.count < target {
            let elapsed = try await milliseconds(request)
            taken.append(elapsed)
            if elapsed > slowMilliseconds { target = min(target, max(slowSamples, taken.count)) }
        }
        if target < samples {
            emit("scale: \(name): a request took over \(Int(slowMilliseconds)) ms; median of \(taken.count) samples instead of \(samples)")
        }
        return Sampled(median: median(of: taken), count: taken.count)
    }

    static func milliseconds(_ body: () async throws -> Void) async throws -> Double {
        let started = ContinuousClock.now
        try await body()
        return seconds(since: started) * 1000
    }

    static func median(of values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// A keep-alive client for `GET`s against the server under test.
struct BenchClient: Sendable {
    let http: HTTPClient
    let base: String
    let headers: HTTPHeaders

    init(port: Int, headers: HTTPHeaders = [:]) throws {
        http = try HTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(60), maxResponseBytes: 64 << 20, userAgent: "billport-bench"))
        base = "http://127.0.0.1:\(port)"
        self.headers = headers
    }

    /// The response to `GET path`, whatever its status.
    func get(_ path: String) async throws -> HTTPClientResponse {
        try await http.send(HTTPClientRequest(method: .get, url: base + path, headers: headers))
    }

    /// The response to `GET path`; anything but 200 stops the bench.
    func ok(_ path: String) async throws -> HTTPClientResponse {
        let response = try await get(path)
        guard response.status == 200 else {
            throw BenchFailure("GET \(path.prefix(60)) answered \(response.status): \(response.text.prefix(300))")
        }
        return response
    }
}
