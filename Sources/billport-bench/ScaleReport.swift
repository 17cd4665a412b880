import Foundation

/// The `scale` rows with the targets of issue 14: every 100k figure within 1.5× of its 1k
/// figure, the portal under 5 ms at 100k, a read under load under 2 ms.
extension ScaleBench {
    static let growth = 1.5
    static let portalMilliseconds = 5.0
    static let readUnderLoadMilliseconds = 2.0

    func add(_ small: SizeResult, _ large: SizeResult, to report: inout BenchReport) {
        report.add("scale.build.s_1k", small.buildSeconds, "s", target: "< 60", meets: small.buildSeconds < 60)
        report.add("scale.build.s_100k", large.buildSeconds, "s", target: "< 60", meets: large.buildSeconds < 60)
        report.add("scale.views.backlog.ms_1k", small.backlogMilliseconds, "ms", target: "all raw views aggregated once (info)")
        report.add("scale.views.backlog.ms_100k", large.backlogMilliseconds, "ms", target: "all raw views aggregated once (info)")
        for (format, name) in [(\SizeResult.json, "json"), (\SizeResult.html, "html")] {
            guard let one = small[keyPath: format], let hundred = large[keyPath: format] else { continue }
            report.add("scale.portal.\(name).ms_1k", one.median, "ms", target: Self.joined("reference", one.note))
            report.add("scale.portal.\(name).ms_100k", hundred.median, "ms",
                       target: Self.joined("< 5 and <= 1.5 × 1k (\(BenchReport.format(Self.growth * one.median)))", hundred.note),
                       meets: hundred.median < Self.portalMilliseconds && hundred.median <= Self.growth * one.median)
        }
        if let alone = large.readAlone {
            report.add("scale.read_alone.ms", alone.median, "ms", target: Self.joined("reference: no other client", alone.note))
        }
        if let measured = large.underLoadUnlimited ?? large.underLoad {
            let tuned = large.underLoadUnlimited != nil ? "rate limits off" : "default configuration"
            report.add("scale.read_under_load.ms", measured.reads.median, "ms",
                       target: Self.joined("< 2", tuned, measured.reads.note), meets: measured.reads.median < Self.readUnderLoadMilliseconds)
            report.add("scale.read_under_load.portal_loads", Double(measured.loads), "loads", target: "100k portals served meanwhile (info)")
        }
        if large.underLoadUnlimited != nil, let limited = large.underLoad {
            report.add("scale.read_under_load.default_limits.ms", limited.reads.median, "ms",
                       target: Self.joined("default limits: \(limited.limited) of \(limited.loads + limited.limited) loads got 429", limited.reads.note))
        }
        for (shape, kind, figure) in [("", "over 60 days", \SizeResult.aggregateMilliseconds),
                                      ("_burst", "in the last 20 min", \SizeResult.burstAggregateMilliseconds)] {
            let one = small[keyPath: figure], hundred = large[keyPath: figure]
            report.add("scale.views.aggregate\(shape).ms_1k", one, "ms", target: "reference; counted views \(kind); store call, 1 new view, n=51")
            report.add("scale.views.aggregate\(shape).ms_100k", hundred, "ms",
                       target: "<= 1.5 × 1k (\(BenchReport.format(Self.growth * one)))", meets: hundred <= Self.growth * one)
        }
        report.add("scale.rss_mb_1k", small.rssMB, "MB", target: "serve's peak RSS (info)")
        report.add("scale.rss_mb_100k", large.rssMB, "MB", target: "serve's peak RSS (info)")
    }

    private static func joined(_ parts: String...) -> String {
        parts.filter { !$0.isEmpty }.joined(separator: "; ")
    }
}
