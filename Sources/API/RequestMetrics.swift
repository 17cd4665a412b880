import BillportCore
import HTTPServer

/// Counts each answered request by route pattern, method and status class, and times it by
/// route. Every series is made at start from the routes (hidden from a scrape until used), so
/// counting a request is a dictionary read and atomic adds, never a lock. A request that
/// matched no route counts under the route `unmatched`: raw paths never become labels.
struct RequestMetrics: Sendable {
    static let unmatched = "unmatched"
    private static let statusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"]

    private struct Key: Hashable {
        let method: HTTPMethod
        let route: String
    }

    private struct Series: Sendable {
        let byStatusClass: [Counter]
        let duration: Histogram
    }

    private let series: [Key: Series]

    init(routes: [Route]) {
        var keys = Set(routes.map { Key(method: $0.method, route: $0.pattern) })
        // HEAD is answered by the GET route.
        keys.formUnion(routes.filter { $0.method == .get }.map { Key(method: .head, route: $0.pattern) })
        keys.formUnion(HTTPMethod.allCases.map { Key(method: $0, route: Self.unmatched) })
        var series: [Key: Series] = [:]
        for key in keys {
            series[key] = Series(byStatusClass: Self.statusClasses.map { BillportMetrics.httpRequests.labels(key.route, key.method.rawValue, $0) },
                                 duration: BillportMetrics.httpDuration.labels(key.route))
        }
        self.series = series
    }

    /// `route` is the matched pattern; anything else (a redacted path) counts as `unmatched`.
    func record(_ method: HTTPMethod, route: String, status: Int, elapsed: Duration) {
        guard let series = series[Key(method: method, route: route)] ?? series[Key(method: method, route: Self.unmatched)] else { return }
        series.byStatusClass[min(max(status / 100, 1), 5) - 1].increment()
        series.duration.observe(elapsed)
    }
}
