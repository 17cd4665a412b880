import Billing
import BillportCore
import Foundation
import Synchronization

/// The `scale` group: does the cost of the portal, of a read and of view aggregation grow with
/// a customer's history? Databases of 1,000 and 100,000 invoices of one customer (`ScaleData`),
/// each with as many counted views of one invoice, served by `billport serve` as a user runs it
/// (default configuration, log level and limits); keep-alive clients in this process measure
/// the portal as JSON and HTML, and `GET /api/invoices/{id}` alone and while another client
/// loads the big portal in a loop. View aggregation is timed in this process, by calling the
/// store's `aggregateViews` (the work of one `views.aggregate` run) for one new view.
struct ScaleBench {
    let billport: String
    let directory: String

    static let small = 1_000
    static let large = 100_000

    /// What one database size gave.
    struct SizeResult {
        var buildSeconds = 0.0
        var backlogMilliseconds = 0.0
        var aggregateMilliseconds = 0.0
        var burstAggregateMilliseconds = 0.0
        var json: LatencySampler.Sampled?
        var html: LatencySampler.Sampled?
        var readAlone: LatencySampler.Sampled?
        var rssMB = 0.0
        /// Under the default configuration.
        var underLoad: UnderLoad?
        /// With the public rate limits off, when the default ones answered the loader 429.
        var underLoadUnlimited: UnderLoad?
    }

    /// Reads of one invoice while another client loads the big portal in a loop.
    struct UnderLoad {
        let reads: LatencySampler.Sampled
        /// Portal answers the loader got while the reads ran: 200s and 429s.
        let loads: Int
        let limited: Int
    }

    static let unlimited = ["BILLPORT_HTTP_RATE_LIMIT_PER_ADDRESS": "0", "BILLPORT_HTTP_RATE_LIMIT_PER_TOKEN": "0"]

    func run(_ report: inout BenchReport) async throws {
        let load = Self.loadAverage()
        emit("scale: load average \(load.map { String(format: "%.2f", $0) } ?? "unknown") (1 min) at start")
        let small = try await measure(size: Self.small, underLoad: false)
        let large = try await measure(size: Self.large, underLoad: true)
        if let load { report.add("scale.load_average", load, "", target: "1-min load average at start") }
        add(small, large, to: &report)
    }

    private func measure(size: Int, underLoad: Bool) async throws -> SizeResult {
        let label = Self.label(size)
        emit("scale: building \(size) invoices of one customer and \(size) views of one invoice")
        let data = try await ScaleData(dataDirectory: directory + "/scale-\(label)", invoices: size, views: size).build()
        emit("scale: \(label) built in \(String(format: "%.1f", data.buildSeconds)) s (aggregating the view backlog: \(Int(data.backlogMilliseconds)) ms)")
        var result = SizeResult(buildSeconds: data.buildSeconds, backlogMilliseconds: data.backlogMilliseconds)
        result.aggregateMilliseconds = try await aggregateOneView(data, invoiceID: data.readInvoiceID, linkID: data.readLinkID, addresses: "192.0.2")
        result.burstAggregateMilliseconds = try await aggregateOneView(data, invoiceID: data.burstInvoiceID, linkID: data.burstLinkID,
                                                                        addresses: "198.51.100")

        let portal = "/api/portal/\(data.portalToken)", page = "/portal/\(data.portalToken)"
        let target = try await AbuseTarget.start(billport: billport, dataDirectory: data.dataDirectory)
        do {
            let client = try BenchClient(port: target.port)
            try Self.checkStatement(try await client.ok(portal).body, expected: data.expectedStatement)
            result.json = try await LatencySampler.median("portal JSON \(label)") { _ = try await client.ok(portal) }
            guard try await client.ok(page).text.contains("Northwind Retail AG") else {
                throw BenchFailure("scale: GET /portal/{token} does not name the customer")
            }
            result.html = try await LatencySampler.median("portal HTML \(label)") { _ = try await client.ok(page) }
            if underLoad {
                let token = try apiToken(target)
                let reader = try BenchClient(port: target.port, headers: ["Authorization": "Bearer \(token)"])
                result.readAlone = try await LatencySampler.median("read alone") { _ = try await reader.ok("/api/invoices/\(data.readInvoiceID)") }
                result.underLoad = try await readUnderLoad(port: target.port, portal: portal, invoiceID: data.readInvoiceID, token: token)
            }
            result.rssMB = try target.peakRSSMegabytes()
        } catch {
            await target.stop()
            throw error
        }
        await target.stop()

        if let limited = result.underLoad?.limited, limited > 0 {
            emit("scale: the default rate limits answered \(limited) of the loader's portal requests 429; "
                 + "measuring again with http.rateLimitPerAddress = 0 and http.rateLimitPerToken = 0")
            let tuned = try await AbuseTarget.start(billport: billport, dataDirectory: data.dataDirectory, overrides: Self.unlimited)
            do {
                result.underLoadUnlimited = try await readUnderLoad(port: tuned.port, portal: portal, invoiceID: data.readInvoiceID,
                                                                    token: try apiToken(tuned))
            } catch {
                await tuned.stop()
                throw error
            }
            await tuned.stop()
        }
        return result
    }

    /// Median milliseconds of `aggregateViews` over 51 runs, each folding in one new view of
    /// `invoiceID` (through `linkID`, from a new address in the /24 `addresses`).
    private func aggregateOneView(_ data: ScaleDataset, invoiceID: Int64, linkID: Int64, addresses: String) async throws -> Double {
        var taken: [Double] = []
        for run in 0..<51 {
            try await data.stores.views.insertViews([
                ViewRecord(key: "scale-new-\(invoiceID)-\(run)", tenantID: data.tenantID, invoiceID: invoiceID, linkID: linkID,
                           source: .link, ip: "\(addresses).\(run + 1)", userAgent: "billport-bench", viewedAt: Date()),
            ])
            var processed = 0
            taken.append(try await LatencySampler.milliseconds {
                processed = try await data.stores.views.aggregateViews(window: ScaleData.dedupeWindow)
            })
            guard processed == 1 else { throw BenchFailure("scale: aggregateViews processed \(processed) views instead of the 1 new one") }
        }
        return LatencySampler.median(of: taken)
    }

    /// Reads of the invoice (`LatencySampler`) while a second client loads the portal over and
    /// over, from its first answer on (so a request of it is always in flight).
    private func readUnderLoad(port: Int, portal: String, invoiceID: Int64, token: String) async throws -> UnderLoad {
        let loader = try BenchClient(port: port)
        let reader = try BenchClient(port: port, headers: ["Authorization": "Bearer \(token)"])
        let state = LoadState()
        let loading = Task {
            defer { state.done.store(true, ordering: .releasing) }
            while !state.stop.load(ordering: .acquiring) {
                let status = try await loader.get(portal).status
                guard status == 200 || status == 429 else { throw BenchFailure("scale: the loader's portal request answered \(status)") }
                if status == 200 {
                    state.loads.add(1, ordering: .relaxed)
                } else {
                    state.limited.add(1, ordering: .relaxed)
                }
            }
        }
        let stopLoading = {
            state.stop.store(true, ordering: .releasing)
            try await loading.value
        }
        do {
            while state.answers == 0 && !state.done.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
            let (loads, limited) = (state.loads.load(ordering: .relaxed), state.limited.load(ordering: .relaxed))
            let reads = try await LatencySampler.median("read under load") { _ = try await reader.ok("/api/invoices/\(invoiceID)") }
            let during = (state.loads.load(ordering: .relaxed) - loads, state.limited.load(ordering: .relaxed) - limited)
            try await stopLoading()
            return UnderLoad(reads: reads, loads: during.0, limited: during.1)
        } catch {
            try? await stopLoading()
            throw error
        }
    }

    /// The loader's switches and counters.
    final class LoadState: Sendable {
        let stop = Atomic<Bool>(false)
        let done = Atomic<Bool>(false)
        let loads = Atomic<Int>(0)
        let limited = Atomic<Int>(0)
        var answers: Int { loads.load(ordering: .relaxed) + limited.load(ordering: .relaxed) }
    }

    /// An API token for the bench tenant from `billport token` on the server's data.
    private func apiToken(_ target: AbuseTarget) throws -> String {
        let run = try HTTPBench.capture(billport, ["token", "--tenant", ScaleData.tenantSlug], environment: target.environment,
                                        errorFile: target.dataDirectory + "/token.stderr")
        let token = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard run.status == 0, !token.isEmpty else { throw BenchFailure("`billport token` exited with \(run.status): \(run.errorText)") }
        return token
    }

    /// The portal's statement must be the one of the data as built: a portal that reads
    /// anything the builder left out would be timed on the wrong answer.
    static func checkStatement(_ body: [UInt8], expected: [CustomerBalance]) throws {
        struct Portal: Decodable {
            struct Statement: Decodable { let balances: [Balance] }
            let statement: Statement?
        }
        struct Balance: Decodable, Equatable {
            let currency: String
            let outstanding, overdue, current, days1to30, days31to60, days61to90, over90: Int64
        }
        let wanted = expected.map {
            Balance(currency: $0.currency, outstanding: $0.outstanding, overdue: $0.overdue, current: $0.current, days1to30: $0.days1to30,
                    days31to60: $0.days31to60, days61to90: $0.days61to90, over90: $0.over90)
        }
        let shown = try JSONDecoder().decode(Portal.self, from: Data(body)).statement?.balances
        guard shown == wanted else {
            throw BenchFailure("scale: the portal's statement \(shown.map { "\($0)" } ?? "(none)") is not \(wanted), the data the bench wrote; "
                               + "does the portal read something ScaleData does not write?")
        }
    }

    static func label(_ size: Int) -> String { size % 1000 == 0 ? "\(size / 1000)k" : "\(size)" }

    /// The 1-minute load average (`/proc/loadavg`).
    static func loadAverage() -> Double? {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.flatMap { Double($0) }
    }
}
