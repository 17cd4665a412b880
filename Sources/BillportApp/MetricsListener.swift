import BillportCore
import HTTPServer

/// The metrics listener: an HTTP server of its own, apart from the API, so `/metrics` is never
/// on the public port. `GET /metrics` renders this process's registry; any other request goes
/// to `fallback` (the operator pages, when mounted), else 404.
struct MetricsListener: Service {
    let name = "metrics"
    let server: HTTPServer
    let logger: Logger

    init(settings: MetricsSettings, registry: MetricsRegistry = .shared, fallback: HTTPHandler? = nil, logger: Logger) {
        var configuration = HTTPServerConfiguration(host: settings.host, port: settings.port)
        configuration.maxConnections = 64
        let log = logger.labelled("metrics")
        configuration.log = { message in log.warning(message) }
        server = HTTPServer(configuration: configuration, handler: Self.handler(registry: registry, fallback: fallback))
        self.logger = logger
    }

    static func handler(registry: MetricsRegistry, fallback: HTTPHandler?) -> HTTPHandler {
        { request in
            if request.path == "/metrics" {
                guard request.method == .get || request.method == .head else {
                    return HTTPResponse(status: 405, headers: ["Allow": "GET, HEAD", "Content-Type": "text/plain; charset=utf-8"], text: "use GET\n")
                }
                return HTTPResponse(status: 200, headers: ["Content-Type": MetricText.contentType, "Cache-Control": "no-store"],
                                    text: await registry.scrape())
            }
            if let fallback { return await fallback(request) }
            return HTTPResponse(status: 404, headers: ["Content-Type": "text/plain; charset=utf-8"], text: "not found; metrics are at /metrics\n")
        }
    }

    func run(until shutdown: ShutdownSignal) async throws {
        let port: Int
        do {
            port = try server.start()
        } catch {
            throw StartupError("cannot listen for metrics on \(server.configuration.host):\(server.configuration.port): \(error)")
        }
        logger.info("metrics listening", ["host": server.configuration.host, "port": "\(port)"])
        await shutdown.wait()
        await server.shutdown(gracePeriod: .seconds(2))
    }
}
