import Foundation

/// One measured figure, with the target it is held against (if any).
struct BenchResult {
    let metric: String
    let value: Double
    let unit: String
    let target: String
    let meetsTarget: Bool?
}

/// Prints results as a table and as `BENCH <metric> <value> <unit>` lines for scripts.
struct BenchReport {
    private(set) var results: [BenchResult] = []

    mutating func add(_ metric: String, _ value: Double, _ unit: String, target: String = "", meets: Bool? = nil) {
        let result = BenchResult(metric: metric, value: value, unit: unit, target: target, meetsTarget: meets)
        results.append(result)
        emit("BENCH \(metric) \(Self.format(value)) \(unit)")
    }

    func printTable(title: String) {
        let rows = results.map { result in
            [result.metric, Self.format(result.value), result.unit, result.target,
             result.meetsTarget.map { $0 ? "ok" : "MISSED" } ?? ""]
        }
        let header = ["metric", "value", "unit", "target", ""]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == 1 ? String(repeating: " ", count: widths[column] - cell.count) + cell
                    : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        emit("")
        emit(title)
        emit(line(header))
        emit(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        rows.forEach { emit(line($0)) }
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(format: "%.2f", value)
    }
}

/// Seconds since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Writes a line to standard output at once (results appear as they are measured).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
