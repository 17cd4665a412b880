import BillportCore
import Testing

/// The metric primitives and their text exposition (Prometheus format 0.0.4).
@Suite struct MetricsTests {
    @Test func countersAndGaugesRenderWithHelpTypeAndEscapedLabels() {
        let registry = MetricsRegistry()
        let requests = registry.counter("billport_test_requests_total", "Requests \\ answered.\nSecond line.", labels: ["route", "method"])
        requests.labels("/a\\b", "GET").increment()
        requests.labels("say \"hi\"\nthere", "POST").increment(by: 3)
        let depth = registry.gauge("billport_test_depth", "Depth.")
        depth.labels().set(2.5)
        depth.labels().add(-1)

        #expect(registry.render() == """
            # HELP billport_test_depth Depth.
            # TYPE billport_test_depth gauge
            billport_test_depth 1.5
            # HELP billport_test_requests_total Requests \\\\ answered.\\nSecond line.
            # TYPE billport_test_requests_total counter
            billport_test_requests_total{route="/a\\\\b",method="GET"} 1
            billport_test_requests_total{route="say \\"hi\\"\\nthere",method="POST"} 3

            """)
    }

    @Test func histogramBucketsAreCumulativeUpToInfinityWithSumAndCount() {
        let registry = MetricsRegistry()
        let latency = registry.histogram("billport_test_seconds", "Latency.", labels: ["route"], bounds: [0.25, 1])
        let series = latency.labels("/x")
        for value in [0.125, 0.25, 0.5, 3] { series.observe(value) }
        series.observe(.milliseconds(250))

        #expect(registry.render() == """
            # HELP billport_test_seconds Latency.
            # TYPE billport_test_seconds histogram
            billport_test_seconds_bucket{route="/x",le="0.25"} 3
            billport_test_seconds_bucket{route="/x",le="1"} 4
            billport_test_seconds_bucket{route="/x",le="+Inf"} 5
            billport_test_seconds_sum{route="/x"} 4.125
            billport_test_seconds_count{route="/x"} 5

            """)
    }

    @Test func labelSetsBeyondTheCapAreCountedInOneOtherSeries() {
        let registry = MetricsRegistry()
        let family = registry.counter("billport_test_total", "Capped.", labels: ["path", "method"], maxSeries: 2)
        for path in ["/a", "/b", "/c", "/d", "/e"] { family.labels(path, "GET").increment() }
        family.labels("/a", "GET").increment()

        let series = family.allSeries.map { ($0.labels, $0.series.count) }
        #expect(series.count == 3)
        #expect(series.contains { $0.0 == ["/a", "GET"] && $0.1 == 2 })
        #expect(series.contains { $0.0 == ["other", "other"] && $0.1 == 3 })
        #expect(!registry.render().contains("/c"))
    }

    @Test func seriesMadeAheadOfTimeStayOutOfTheScrapeUntilTheyMove() {
        let registry = MetricsRegistry()
        let family = registry.counter("billport_test_total", "Hidden until used.", labels: ["route"], hidesUntouched: true)
        _ = family.labels("/idle")
        family.labels("/used").increment()
        let text = registry.render()
        #expect(text.contains("billport_test_total{route=\"/used\"} 1"))
        #expect(!text.contains("/idle"))
    }

    @Test func concurrentIncrementsFromManyTasksAddUp() async {
        let registry = MetricsRegistry()
        let counter = registry.counter("billport_test_total", "Concurrent.", labels: ["kind"])
        let histogram = registry.histogram("billport_test_seconds", "Concurrent.", bounds: [0.5])
        let gauge = registry.gauge("billport_test_level", "Concurrent.").labels()
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<64 {
                group.addTask {
                    for _ in 0..<1_000 {
                        counter.labels(task.isMultiple(of: 2) ? "even" : "odd").increment()
                        histogram.labels().observe(1)
                        gauge.add(1)
                    }
                }
            }
        }
        #expect(counter.labels("even").count == 32_000)
        #expect(counter.labels("odd").count == 32_000)
        #expect(histogram.labels().count == 64_000)
        #expect(histogram.labels().sumValue == 64_000)
        #expect(gauge.value == 64_000)
    }

    @Test func collectorsRunBeforeEachScrapeAndValuesFormatLikePrometheus() async {
        let registry = MetricsRegistry()
        let gauge = registry.gauge("billport_test_age_seconds", "Set at scrape.").labels()
        let scrapes = registry.counter("billport_test_scrapes_total", "Scrapes.").labels()
        registry.addCollector {
            scrapes.increment()
            gauge.set(Double(scrapes.count) / 4)
        }
        _ = await registry.scrape()
        let text = await registry.scrape()
        #expect(text.contains("billport_test_age_seconds 0.5\n"))
        #expect(text.contains("billport_test_scrapes_total 2\n"))
        #expect(MetricText.format(.infinity) == "+Inf")
        #expect(MetricText.format(-.infinity) == "-Inf")
        #expect(MetricText.format(.nan) == "NaN")
        #expect(MetricText.format(1e20) == "1e+20")
    }

    @Test func aCounterAdvancedFromAnOutsideTotalNeverGoesBack() {
        let counter = MetricsRegistry().counter("billport_test_total", "Advanced.").labels()
        counter.advance(to: 5)
        counter.advance(to: 3)
        #expect(counter.count == 5)
    }
}
