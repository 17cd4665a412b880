import Synchronization

/// The metrics of one process: families registered once (at first use of their definition) and
/// callbacks that set gauges when a scrape asks (queue depths, memory, file sizes).
///
/// `MetricsRegistry.shared` is the process's registry: the counters are incremented from every
/// module, and threading an instance through each would touch dozens of initialisers. Tests of
/// the primitives make registries of their own.
public final class MetricsRegistry: Sendable {
    public static let shared = MetricsRegistry()

    /// Label sets one family may hold before new ones go to the `other` series.
    public static let defaultMaxSeries = 1_000

    private let families = Mutex<[String: any RenderableFamily]>([:])
    private let collectors = Mutex<[@Sendable () async -> Void]>([])

    public init() {}

    public func counter(_ name: String, _ help: String, labels: [String] = [], maxSeries: Int = defaultMaxSeries,
                        hidesUntouched: Bool = false) -> MetricFamily<Counter> {
        register(MetricFamily(name: name, help: help, type: .counter, labelNames: labels, maxSeries: maxSeries,
                              hidesUntouched: hidesUntouched) { Counter() })
    }

    public func gauge(_ name: String, _ help: String, labels: [String] = [], maxSeries: Int = defaultMaxSeries) -> MetricFamily<Gauge> {
        register(MetricFamily(name: name, help: help, type: .gauge, labelNames: labels, maxSeries: maxSeries,
                              hidesUntouched: false) { Gauge() })
    }

    public func histogram(_ name: String, _ help: String, labels: [String] = [], bounds: [Double], maxSeries: Int = defaultMaxSeries,
                          hidesUntouched: Bool = false) -> MetricFamily<Histogram> {
        precondition(!bounds.isEmpty && zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "\(name): bounds must ascend")
        return register(MetricFamily(name: name, help: help, type: .histogram, labelNames: labels, maxSeries: maxSeries,
                                     hidesUntouched: hidesUntouched) { Histogram(bounds: bounds) })
    }

    /// Runs before every scrape, to set gauges that are read rather than counted.
    public func addCollector(_ collector: @escaping @Sendable () async -> Void) {
        collectors.withLock { $0.append(collector) }
    }

    /// Runs the collectors, then renders every family in the text exposition format 0.0.4.
    public func scrape() async -> String {
        for collector in collectors.withLock({ $0 }) {
            await collector()
        }
        return render()
    }

    /// Every family in the text exposition format 0.0.4, sorted by name.
    public func render() -> String {
        var text = ""
        for family in families.withLock({ Array($0.values) }).sorted(by: { $0.familyName < $1.familyName }) {
            family.render(into: &text)
        }
        return text
    }

    /// A name registered twice (two definitions of one metric) is a programming error.
    private func register<Series>(_ family: MetricFamily<Series>) -> MetricFamily<Series> {
        precondition(MetricText.isValidName(family.name) && family.labelNames.allSatisfy(MetricText.isValidName), "bad metric name \(family.name)")
        families.withLock { families in
            precondition(families[family.name] == nil, "metric \(family.name) registered twice")
            families[family.name] = family
        }
        return family
    }
}
