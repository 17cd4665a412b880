import BillportCore
import HTTPServer
import Queue

extension AppContext {
    /// The metrics listener with the collectors a scrape runs (queue gauges from `store`, the
    /// process, the SQLite files), or nil when `metrics.port` is 0.
    func metricsListener(store: any SQLJobStore, fallback: HTTPHandler? = nil) -> MetricsListener? {
        guard configuration.metrics.enabled else { return nil }
        BillportMetrics.registerAll()
        let registry = MetricsRegistry.shared
        let queues = metricsQueues
        let databasePath = configuration.databasePath
        let log = logger.labelled("metrics")
        registry.addCollector {
            ProcessMetrics.collect()
            ProcessMetrics.collectSQLiteSizes(databasePath: databasePath)
            do {
                try await store.collectMetrics(queues: queues)
            } catch {
                log.warning("reading the queue gauges failed", ["error": "\(error)"])
            }
        }
        return MetricsListener(settings: configuration.metrics, registry: registry, fallback: fallback, logger: logger)
    }

    /// The queues a scrape reports: those workers serve and those schedules enqueue into, a
    /// closed set from the configuration.
    var metricsQueues: Set<String> {
        Set(configuration.worker.queues.keys).union(configuration.scheduler.schedules.map(\.queue)).union(["default"])
    }
}
