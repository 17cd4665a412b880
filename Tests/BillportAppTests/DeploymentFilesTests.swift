@testable import BillportApp
import Foundation
import TestSupport
import Testing

/// The samples under `deploy/` stay true to the product: every `billport` command line in the
/// systemd units is one `billport` accepts, every setting they name is one it reads (with a
/// value it takes), the stop timeout covers Billport's own drain, and nginx agrees with the
/// HTTP settings.
@Suite struct DeploymentFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let units = ["billport-serve.service", "billport-api.service", "billport-worker.service", "billport-scheduler.service",
                        "billport-backup.service", "billport-backup.timer"]
    static let services = ["billport-serve.service", "billport-api.service", "billport-worker.service", "billport-scheduler.service"]
    let billport = ChildProcess.builtProduct("billport")

    static func text(_ path: String) throws -> String { try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

    /// The `Key=Value` lines of a unit file, comments left out.
    static func settings(_ unit: String) throws -> [(key: String, value: String)] {
        try text("deploy/systemd/" + unit).split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.hasPrefix("["), let equals = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<equals]), String(line[line.index(after: equals)...]))
        }
    }

    /// `billport …` as the unit runs it: the words and options after the binary, up to the end
    /// of the shell command around it.
    static func commandLines(_ unit: String) throws -> [[String]] {
        try settings(unit).filter { $0.key.hasPrefix("Exec") }.compactMap { setting in
            guard let range = setting.value.range(of: "/usr/local/bin/billport ") else { return nil }
            let rest = setting.value[range.upperBound...].prefix { !"';|&".contains($0) }
            return rest.split(separator: " ").map(String.init)
        }
    }

    @Test func everyCommandLineInTheUnitsIsOneBillportAccepts() async throws {
        var seen: Set<String> = []
        for unit in Self.units where unit.hasSuffix(".service") {
            let lines = try Self.commandLines(unit)
            #expect(!lines.isEmpty, "\(unit) runs billport")
            for arguments in lines {
                let words = arguments.prefix { $0.allSatisfy(\.isLowercase) }
                seen.insert(words.joined(separator: " "))
                let dir = TemporaryDirectory()
                // With --help the command line is parsed (an unknown command or option is a usage
                // error, 64) and nothing runs.
                let process = try ChildProcess(billport, arguments + ["--help"], directory: dir.path)
                #expect(try await process.waitForExit() == 0, "\(unit): billport \(arguments.joined(separator: " ")): \(process.stderr)")
                #expect(process.stdout.hasPrefix("Usage: billport \(words.joined(separator: " "))"), "\(unit): \(process.stdout)")
            }
        }
        #expect(seen == ["serve", "api", "worker", "scheduler", "backup"])
    }

    @Test func everySettingTheSamplesNameIsReadAndTheUnitsValuesLoad() throws {
        let documented = try Self.text("config/README.md").split(separator: "\n").filter { $0.hasPrefix("| `") }
            .flatMap { row in row.split(separator: "|")[0].split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) } }
        let read = documented.filter(Self.isRead)
        #expect(read.count > 20 && read.contains("http.trustedProxies"), "the keys of config/README.md: \(read.count)")
        let variables = Dictionary(read.map { (ConfigReader.environmentName(for: $0), $0) }) { first, _ in first }
        let sections = Set(read.compactMap { $0.split(separator: ".").first.map(String.init) })
        let files = Self.units.map { "deploy/systemd/" + $0 } + ["deploy/systemd/billport.env.example", "deploy/nginx/billport.conf"]
        for file in files {
            let text = try Self.text(file)
            for name in Self.matches(#"\bBILLPORT_[A-Z0-9_]+"#, in: text) {
                #expect(name == "BILLPORT_CONFIG" || variables[name] != nil, "\(file): Billport reads no \(name)")
            }
            for key in Self.matches(#"(?<![-\w/.])[a-z]+\.[a-zA-Z.]*[a-zA-Z]\b"#, in: text) where sections.contains(String(key.split(separator: ".")[0])) {
                #expect(Self.isRead(key), "\(file): \(key) is not a configuration key")
            }
        }
        let secrets = try Self.text("deploy/systemd/billport.env.example").split(separator: "\n")
            .filter { !$0.hasPrefix("#") && $0.contains("=") }.map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        _ = try BillportConfiguration.load(fileText: nil, fileName: "billport.env.example",
                                           environment: Dictionary(secrets.map { ($0[0], $0.count > 1 ? $0[1] : "") }) { $1 })
        for unit in Self.services {
            let environment = Dictionary(try Self.settings(unit).filter { $0.key == "Environment" }.map { setting in
                let pair = setting.value.split(separator: "=", maxSplits: 1).map(String.init)
                return (pair[0], pair.count > 1 ? pair[1] : "")
            }) { $1 }
            var values = environment
            values.removeValue(forKey: "BILLPORT_CONFIG")
            #expect(environment["BILLPORT_CONFIG"] == "/etc/billport/billport.json", "\(unit)")
            let configuration = try BillportConfiguration.load(fileText: try Self.text("config/billport.json"), fileName: unit, environment: values)
            #expect(configuration.dataDirectory == "/var/lib/billport", "\(unit): the state directory")
        }
    }

    /// Whether `key` is one the configuration reads: setting it in the file is never "not a
    /// configuration key" (an empty array is a wrong value for every key, so a key that is read
    /// fails on its value instead).
    static func isRead(_ key: String) -> Bool {
        let json = key.split(separator: ".").reversed().reduce("[]") { inner, part in "{\"\(part)\": \(inner)}" }
        do throws(ConfigError) {
            _ = try BillportConfiguration.load(fileText: json, fileName: "probe.json", environment: [:])
            return true
        } catch {
            return !(error.message == "is not a configuration key" && key.hasPrefix(error.key))
        }
    }

    static func matches(_ pattern: String, in text: String) -> Set<String> {
        var found: Set<String> = []
        var rest = text[...]
        while let range = rest.range(of: pattern, options: .regularExpression) {
            found.insert(String(rest[range]))
            rest = rest[range.upperBound...]
        }
        return found
    }

    @Test func servicesRunHardenedAsBillportAndWaitForTheDrainBeforeKilling() throws {
        let configuration = try BillportConfiguration.load(fileText: try Self.text("config/billport.json"), fileName: "billport.json", environment: [:])
        let drain = ServeCommands.shutdownDeadline(configuration)
        for unit in Self.services + ["billport-backup.service"] {
            let settings = Dictionary(try Self.settings(unit).map { ($0.key, $0.value) }) { $1 }
            for (key, value) in ["User": "billport", "ProtectSystem": "strict", "NoNewPrivileges": "yes", "PrivateTmp": "yes"] {
                #expect(settings[key] == value, "\(unit): \(key)=\(value)")
            }
            #expect(settings["StateDirectory"]?.split(separator: " ").contains("billport") == true, "\(unit)")
            #expect(settings["EnvironmentFile"] == "-/etc/billport/billport.env", "\(unit)")
            guard unit != "billport-backup.service" else { continue }
            #expect(settings["Restart"] == "on-failure" && settings["KillSignal"] == "SIGTERM", "\(unit)")
            let timeout = try #require(settings["TimeoutStopSec"].flatMap { Int($0.dropLast()) }, "\(unit): TimeoutStopSec in seconds")
            #expect(.seconds(timeout) > drain, "\(unit): systemd must wait for Billport's own stop deadline (\(drain))")
        }
        #expect(try Self.settings("billport-backup.timer").contains { $0.key == "Unit" && $0.value == "billport-backup.service" })
    }

    @Test func nginxSendsWhatBillportExpects() throws {
        let text = try Self.text("deploy/nginx/billport.conf")
        let configuration = try BillportConfiguration.load(fileText: try Self.text("config/billport.json"), fileName: "billport.json",
                                                           environment: ["BILLPORT_HTTP_TRUSTED_PROXIES": "127.0.0.1"])
        #expect(text.contains("client_max_body_size \(configuration.http.limits.maxBodyBytes >> 20)m;"), "http.maxBodyBytes in MiB")
        #expect(text.contains("server 127.0.0.1:\(configuration.http.port);"))
        #expect(text.contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"),
                "nginx appends the peer it saw, the address Billport takes from a trusted proxy")
        #expect(configuration.api.trustedProxies == ["127.0.0.1"])
        let api = try #require(text.range(of: "location /api/ {").map { text[$0.upperBound...].prefix { $0 != "}" } })
        #expect(api.contains("proxy_no_cache 1;") && api.contains("proxy_cache_bypass 1;"))
    }

    static let systemdAnalyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: systemdAnalyze != nil, "skipped: systemd-analyze is not installed"))
    func systemdAcceptsTheUnits() throws {
        let dir = TemporaryDirectory()
        // Verified as installed, with the binary where the test built it.
        for unit in Self.units {
            try Self.text("deploy/systemd/" + unit).replacingOccurrences(of: "/usr/local/bin/billport", with: billport)
                .write(toFile: dir.file(unit), atomically: true, encoding: .utf8)
        }
        let verify = try Spawn.run(try #require(Self.systemdAnalyze), ["verify"] + Self.units.map { "./" + $0 }, directory: dir.path)
        #expect(verify.status == 0 && verify.stderr.isEmpty, "systemd-analyze verify: \(String(decoding: verify.stderr, as: UTF8.self))")
    }

    /// An installed nginx, or the one `make test` unpacks into `.build/tools`.
    static let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", root.appendingPathComponent(".build/tools/usr/sbin/nginx").path]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: nginx != nil, "skipped: nginx is not installed (the sample is then only checked as text)"))
    func nginxAcceptsTheSample() throws {
        let dir = TemporaryDirectory()
        let certificate = try Spawn.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=billing.example.com",
                                                         "-keyout", dir.file("key.pem"), "-out", dir.file("cert.pem")])
        #expect(certificate.status == 0)
        let sample = try Self.text("deploy/nginx/billport.conf")
            .replacingOccurrences(of: "/etc/letsencrypt/live/billing.example.com/fullchain.pem", with: dir.file("cert.pem"))
            .replacingOccurrences(of: "/etc/letsencrypt/live/billing.example.com/privkey.pem", with: dir.file("key.pem"))
            .replacingOccurrences(of: "listen 80;", with: "listen 127.0.0.1:18080;").replacingOccurrences(of: "listen [::]:80;", with: "")
            .replacingOccurrences(of: "listen 443 ssl;", with: "listen 127.0.0.1:18443 ssl;").replacingOccurrences(of: "listen [::]:443 ssl;", with: "")
        try sample.write(toFile: dir.file("billport.conf"), atomically: true, encoding: .utf8)
        try """
            error_log \(dir.file("error.log"));
            pid \(dir.file("nginx.pid"));
            events {}
            http {
                access_log off;
                client_body_temp_path \(dir.file("body")); proxy_temp_path \(dir.file("proxy"));
                fastcgi_temp_path \(dir.file("fastcgi")); uwsgi_temp_path \(dir.file("uwsgi")); scgi_temp_path \(dir.file("scgi"));
                include \(dir.file("billport.conf"));
            }
            """.write(toFile: dir.file("nginx.conf"), atomically: true, encoding: .utf8)
        let test = try Spawn.run(try #require(Self.nginx), ["-t", "-q", "-p", dir.path, "-c", dir.file("nginx.conf"), "-e", dir.file("error.log")])
        #expect(test.status == 0, "nginx -t: \(String(decoding: test.stderr, as: UTF8.self))")
    }
}
