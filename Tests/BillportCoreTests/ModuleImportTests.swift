import Foundation
import Testing

/// SwiftPM lets a target import a module it does not declare, as long as something else pulled
/// it into the build: the graph in Package.swift then says less than the code does, and a layer
/// can lean on another without anyone deciding it. These tests read Package.swift and every
/// source file and hold the two to each other.
@Suite struct ModuleImportTests {
    /// The repository root, found from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every target of Package.swift with its declared dependencies and its folder.
    static func targets() throws -> [String: (dependencies: Set<String>, path: String)] {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        // `.target(name: "X", dependencies: ["A", "B"], path: "…"` — one declaration may span lines.
        let declaration = try Regex(#"\.(target|testTarget|executableTarget)\(\s*name:\s*"([^"]+)"(.*?)swiftSettings|\.systemLibrary\(\s*name:\s*"([^"]+)""#)
            .dotMatchesNewlines()
        var targets: [String: (dependencies: Set<String>, path: String)] = [:]
        for match in manifest.matches(of: declaration) {
            guard let name = (match.output[2].substring ?? match.output[4].substring).map(String.init) else { continue }
            let rest = match.output[3].substring.map(String.init) ?? ""
            var dependencies: Set<String> = []
            if let list = rest.firstMatch(of: #/dependencies:\s*\[([^\]]*)\]/#) {
                dependencies = Set(list.output.1.matches(of: #/"([^"]+)"/#).map { String($0.output.1) })
            }
            let path = rest.firstMatch(of: #/path:\s*"([^"]+)"/#).map { String($0.output.1) }
                ?? ((match.output[1].substring == "testTarget") ? "Tests/\(name)" : "Sources/\(name)")
            targets[name] = (dependencies, path)
        }
        return targets
    }

    /// The project modules `file` imports, with the line that does.
    static func imports(in file: URL, among modules: Set<String>) throws -> [(module: String, line: String)] {
        let text = try String(contentsOf: file, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let match = line.firstMatch(of: #/^\s*(?:@testable\s+|@_implementationOnly\s+|(?:internal|public|package|private|fileprivate)\s+)?import\s+([A-Za-z_][A-Za-z0-9_]*)/#),
                  modules.contains(String(match.output.1)) else { return nil }
            return (String(match.output.1), String(line))
        }
    }

    static func swiftFiles(under path: String) -> [URL] {
        let folder = root.appendingPathComponent(path)
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return files.filter { $0.pathExtension == "swift" }
    }

    @Test func theManifestIsReadAsItIsWritten() throws {
        let targets = try Self.targets()
        #expect(targets["API"]?.dependencies.contains("HTTPServer") == true)
        #expect(targets["CSQLite"] != nil)
        #expect(targets["TestSupport"]?.path == "Tests/TestSupport")
        #expect(targets.count > 30)
    }

    @Test func everyImportOfAProjectModuleIsADeclaredDependency() throws {
        let targets = try Self.targets()
        let modules = Set(targets.keys)
        var undeclared: [String] = []
        for (name, target) in targets where !target.path.isEmpty {
            for file in Self.swiftFiles(under: target.path) {
                for (module, line) in try Self.imports(in: file, among: modules) where module != name && !target.dependencies.contains(module) {
                    undeclared.append("\(target.path)/\(file.lastPathComponent): `\(line.trimmingCharacters(in: .whitespaces))` but \(name) does not depend on \(module)")
                }
            }
        }
        #expect(undeclared.isEmpty, "\(undeclared.sorted().joined(separator: "\n"))")
    }

    /// C types never reach a public API: a C module is imported `internal` (or not at all).
    @Test func cModulesAreImportedInternally() throws {
        let targets = try Self.targets()
        let cModules: Set<String> = ["CSQLite", "COpenSSL", "CCurl"]
        var exposed: [String] = []
        for (_, target) in targets where target.path.hasPrefix("Sources/") {
            for file in Self.swiftFiles(under: target.path) {
                for (_, line) in try Self.imports(in: file, among: cModules) where !line.contains("internal import") {
                    exposed.append("\(target.path)/\(file.lastPathComponent): \(line)")
                }
            }
        }
        #expect(exposed.isEmpty, "\(exposed.sorted().joined(separator: "\n"))")
    }

    /// Each C library has one Swift wrapper module; everything else talks to the wrapper.
    @Test func onlyTheWrapperModulesImportCModules() throws {
        let targets = try Self.targets()
        let wrappers: Set<String> = ["SQLite", "Tokens", "Curl"]
        var importers: [String] = []
        for (name, target) in targets where target.path.hasPrefix("Sources/") && !wrappers.contains(name) {
            for file in Self.swiftFiles(under: target.path) {
                for (module, _) in try Self.imports(in: file, among: ["CSQLite", "COpenSSL", "CCurl"]) {
                    importers.append("\(target.path)/\(file.lastPathComponent) imports \(module)")
                }
            }
            let cDependencies = target.dependencies.intersection(["CSQLite", "COpenSSL", "CCurl"])
            if !cDependencies.isEmpty { importers.append("\(name) depends on \(cDependencies.sorted())") }
        }
        #expect(importers.isEmpty, "\(importers.sorted().joined(separator: "\n"))")
    }
}
