import Foundation
import Testing

/// SwiftPM lets a target import a module it does not declare, as long as something else pulled
/// it into the build: the graph in Package.swift then says less than the code does, and a layer
/// can lean on another without anyone deciding it. These tests read Package.swift and every
/// source file and hold the two to each other.
@Suite struct ModuleImportTests {
    /// The repository root, found from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every target of Package.swift with its declared dependencies and its folder (read once).
    static func targets() throws -> [String: (dependencies: Set<String>, path: String)] { try parsed.get() }

    private static let parsed = Result { try parseManifest() }

    private static func parseManifest() throws -> [String: (dependencies: Set<String>, path: String)] {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        // Each declaration starts with `.target(name: "X"` (or testTarget, executableTarget,
        // systemLibrary) and runs to the next one; its dependency list and path are inside.
        var targets: [String: (dependencies: Set<String>, path: String)] = [:]
        let kinds = [".target(", ".testTarget(", ".executableTarget(", ".systemLibrary("]
        var pieces: [(kind: String, text: Substring)] = []
        var rest = manifest[...]
        while let start = kinds.compactMap({ kind in rest.range(of: kind).map { (kind, $0) } }).min(by: { $0.1.lowerBound < $1.1.lowerBound }) {
            let body = rest[start.1.upperBound...]
            let next = kinds.compactMap { body.range(of: $0)?.lowerBound }.min() ?? body.endIndex
            pieces.append((start.0, body[..<next]))
            rest = body[next...]
        }
        for (kind, text) in pieces {
            guard let name = text.firstMatch(of: #/^\s*name:\s*"([^"]+)"/#)?.output.1 else { continue }
            var dependencies: Set<String> = []
            if let list = text.firstMatch(of: #/dependencies:\s*\[([^\]]*)\]/#) {
                dependencies = Set(list.output.1.matches(of: #/"([^"]+)"/#).map { String($0.output.1) })
            }
            let path = text.firstMatch(of: #/path:\s*"([^"]+)"/#).map { String($0.output.1) }
                ?? (kind == ".testTarget(" ? "Tests/\(name)" : "Sources/\(name)")
            targets[String(name)] = (dependencies, kind == ".systemLibrary(" ? "" : path)
        }
        return targets
    }

    /// The project modules `file` imports, with the line that does.
    static func imports(in file: URL, among modules: Set<String>) throws -> [(module: String, line: String)] {
        let text = try String(contentsOf: file, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            // The regex is slow; most lines are not imports.
            guard line.contains("import "), let match = line.firstMatch(of: #/^\s*(?:@testable\s+|@_implementationOnly\s+|(?:internal|public|package|private|fileprivate)\s+)?import\s+([A-Za-z_][A-Za-z0-9_]*)/#),
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
        let cModules: Set<String> = ["CSQLite", "COpenSSL", "CCurl", "CLibPQ"]
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
        let wrappers: Set<String> = ["SQLite", "Tokens", "Curl", "PostgreSQL"]
        var importers: [String] = []
        for (name, target) in targets where target.path.hasPrefix("Sources/") && !wrappers.contains(name) {
            for file in Self.swiftFiles(under: target.path) {
                for (module, _) in try Self.imports(in: file, among: ["CSQLite", "COpenSSL", "CCurl", "CLibPQ"]) {
                    importers.append("\(target.path)/\(file.lastPathComponent) imports \(module)")
                }
            }
            let cDependencies = target.dependencies.intersection(["CSQLite", "COpenSSL", "CCurl", "CLibPQ"])
            if !cDependencies.isEmpty { importers.append("\(name) depends on \(cDependencies.sorted())") }
        }
        #expect(importers.isEmpty, "\(importers.sorted().joined(separator: "\n"))")
    }
}
