import BillportCore
import Foundation

/// A configuration value that cannot be used; one line naming the key and where it came from.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let message: String
    public let source: String

    public var description: String { "config \(key): \(message) (\(source))" }
}

/// Reads typed values from the config file's JSON, each overridable by an environment variable
/// named after its key (`worker.jobTimeout` → `BILLPORT_WORKER_JOB_TIMEOUT`), and remembers
/// which keys it read so that a misspelt key is an error rather than silently ignored.
struct ConfigReader {
    private let root: [String: JSONValue]
    private let environment: [String: String]
    private let fileName: String
    private var read: Set<String> = []

    init(root: [String: JSONValue], environment: [String: String], fileName: String) {
        self.root = root
        self.environment = environment
        self.fileName = fileName
    }

    /// `BILLPORT_` and the key in upper snake case; an acronym stays one word
    /// (`http.publicBaseURL` → `BILLPORT_HTTP_PUBLIC_BASE_URL`, `mail.startTLS` → `BILLPORT_MAIL_START_TLS`).
    static func environmentName(for key: String) -> String {
        var name = "BILLPORT"
        for part in key.split(separator: ".") {
            name += "_"
            let characters = Array(part)
            for (index, character) in characters.enumerated() {
                if character.isUppercase, index > 0 {
                    let previous = characters[index - 1]
                    let next = index + 1 < characters.count ? characters[index + 1] : nil
                    if !previous.isUppercase || next?.isLowercase == true { name += "_" }
                }
                name += character.uppercased()
            }
        }
        return name
    }

    // MARK: Typed values

    mutating func string(_ key: String, default fallback: String) throws(ConfigError) -> String {
        guard let (value, source) = lookup(key) else { return fallback }
        switch value {
        case .string(let text): return text
        default: throw ConfigError(key: key, message: "must be a string (got \(value.typeName))", source: source)
        }
    }

    /// A list of whole numbers: a JSON array, or `1,7,14` in the environment.
    mutating func integers(_ key: String, default fallback: [Int], range: ClosedRange<Int>) throws(ConfigError) -> [Int] {
        guard let (value, source) = lookup(key) else { return fallback }
        let items: [JSONValue]
        switch value {
        case .array(let array): items = array
        case .integer: items = [value]
        case .string(let text): items = text.split(separator: ",").map { Int64($0.trimmingCharacters(in: .whitespaces)).map(JSONValue.integer) ?? .string(String($0)) }
        default: items = [value]
        }
        var numbers: [Int] = []
        for item in items {
            guard case .integer(let number) = item, range.contains(Int(number)) else {
                throw ConfigError(key: key, message: "must be a list of whole numbers from \(range.lowerBound) to \(range.upperBound) (got \(item))", source: source)
            }
            numbers.append(Int(number))
        }
        guard !numbers.isEmpty else { throw ConfigError(key: key, message: "must not be empty", source: source) }
        return Array(Set(numbers)).sorted()
    }

    mutating func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let (value, source) = lookup(key) else { return fallback }
        guard case .integer(let number) = value, let result = Int(exactly: number), range.contains(result) else {
            throw ConfigError(key: key, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound) (got \(value))", source: source)
        }
        return result
    }

    mutating func double(_ key: String, default fallback: Double, range: ClosedRange<Double>) throws(ConfigError) -> Double {
        guard let (value, source) = lookup(key) else { return fallback }
        let number: Double? = switch value {
        case .integer(let whole): Double(whole)
        case .number(let fraction): fraction
        default: nil
        }
        guard let number, range.contains(number) else {
            throw ConfigError(key: key, message: "must be a number from \(range.lowerBound) to \(range.upperBound) (got \(value))", source: source)
        }
        return number
    }

    mutating func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let (value, source) = lookup(key) else { return fallback }
        guard case .bool(let flag) = value else {
            throw ConfigError(key: key, message: "must be true or false (got \(value))", source: source)
        }
        return flag
    }

    mutating func duration(_ key: String, default fallback: Duration, range: ClosedRange<Duration>) throws(ConfigError) -> Duration {
        guard let (value, source) = lookup(key) else { return fallback }
        guard case .string(let text) = value, let duration = DurationText.parse(text), range.contains(duration) else {
            throw ConfigError(key: key, message: "must be a duration like \"30s\", \"5m\" or \"2h\" from \(DurationText.format(range.lowerBound)) to \(DurationText.format(range.upperBound)) (got \(value))", source: source)
        }
        return duration
    }

    mutating func choice<T: CaseIterable>(_ key: String, default fallback: T, name: (T) -> String) throws(ConfigError) -> T {
        guard let (value, source) = lookup(key) else { return fallback }
        let options = T.allCases.map { name($0).lowercased() }
        guard case .string(let text) = value, let match = T.allCases.first(where: { name($0).lowercased() == text.lowercased() }) else {
            throw ConfigError(key: key, message: "must be one of \(options.joined(separator: ", ")) (got \(value))", source: source)
        }
        return match
    }

    /// An object value (worker queues, schedules); the caller reads its members.
    mutating func object(_ key: String) throws(ConfigError) -> (members: [String: JSONValue], source: String)? {
        guard let (value, source) = lookup(key) else { return nil }
        guard case .object(let members) = value else {
            throw ConfigError(key: key, message: "must be an object (got \(value.typeName))", source: source)
        }
        return (members, source)
    }

    /// Fails on the first key in the file that nothing read: a typo would otherwise be ignored.
    func checkNoUnknownKeys() throws(ConfigError) {
        func walk(_ members: [String: JSONValue], prefix: String) throws(ConfigError) {
            for key in members.keys.sorted() {
                let path = prefix.isEmpty ? key : prefix + "." + key
                if read.contains(path) || key.hasPrefix("_") { continue }
                if case .object(let inner) = members[key]!, read.contains(where: { $0.hasPrefix(path + ".") }) {
                    try walk(inner, prefix: path)
                } else {
                    throw ConfigError(key: path, message: "is not a configuration key", source: "in \(fileName)")
                }
            }
        }
        try walk(root, prefix: "")
    }

    // MARK: Lookup

    /// The raw text of `key`'s environment variable, if set.
    func environmentText(_ key: String) -> String? {
        environment[Self.environmentName(for: key)]
    }

    /// The value for `key`: the environment first (parsed as JSON when it is JSON, else taken as
    /// a string), then the file.
    private mutating func lookup(_ key: String) -> (JSONValue, String)? {
        read.insert(key)
        let variable = Self.environmentName(for: key)
        if let text = environment[variable] {
            let value = (try? JSONValue.parse(text)) ?? .string(text)
            return (value, "from \(variable)")
        }
        var current: JSONValue = .object(root)
        for part in key.split(separator: ".") {
            guard case .object(let members) = current, let next = members[String(part)] else { return nil }
            current = next
        }
        return (current, "in \(fileName)")
    }
}
