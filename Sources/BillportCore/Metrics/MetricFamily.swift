import Synchronization

/// What kind of series a family holds, as the exposition format names it.
public enum MetricType: String, Sendable {
    case counter, gauge, histogram
}

/// One metric name with its label names and the series made so far, one per label set.
///
/// Label values must come from closed sets (route patterns, queue names, outcomes); as a guard,
/// past `maxSeries` label sets every new one is counted into a single series whose labels are
/// all `other`, so a bug cannot grow memory or a scrape without bound. Looking a series up
/// takes this family's lock; callers on a hot path keep the series they get.
public final class MetricFamily<Series: Sendable>: Sendable {
    public let name: String
    public let help: String
    public let type: MetricType
    public let labelNames: [String]
    public let maxSeries: Int
    /// Series at zero are left out of a scrape until they move (those made ahead of time).
    let hidesUntouched: Bool
    private let make: @Sendable () -> Series
    private let series = Mutex<[[String]: Series]>([:])

    init(name: String, help: String, type: MetricType, labelNames: [String], maxSeries: Int, hidesUntouched: Bool,
         make: @escaping @Sendable () -> Series) {
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
        self.maxSeries = maxSeries
        self.hidesUntouched = hidesUntouched
        self.make = make
    }

    /// The series for `values` (one per label name, in order), made on first use.
    public func labels(_ values: String...) -> Series {
        labels(values)
    }

    public func labels(_ values: [String]) -> Series {
        precondition(values.count == labelNames.count, "\(name) takes \(labelNames.count) labels")
        return series.withLock { series in
            if let existing = series[values] { return existing }
            let key = series.count < maxSeries ? values : Array(repeating: overflowLabelValue, count: values.count)
            if let existing = series[key] { return existing }
            let made = make()
            series[key] = made
            return made
        }
    }

    /// Every series with its label values, sorted for a stable scrape.
    public var allSeries: [(labels: [String], series: Series)] {
        series.withLock { $0.map { ($0.key, $0.value) } }.sorted { $0.labels.lexicographicallyPrecedes($1.labels) }
    }
}

/// The label value every label of a family's overflow series carries.
public let overflowLabelValue = "other"
