import Foundation
import Testing

/// The architecture's rules (docs/ARCHITECTURE.md), checked on the dependency graph declared in
/// Package.swift. `ModuleImportTests` holds every `import` to that graph, so a module can reach
/// only what these rules allow.
@Suite struct LayerRuleTests {
    typealias Graph = [String: Set<String>]

    static func graph() throws -> Graph {
        try ModuleImportTests.targets().mapValues(\.dependencies)
    }

    /// Every module `module` depends on, directly or through others.
    static func reach(of module: String, in graph: Graph) -> Set<String> {
        var seen: Set<String> = []
        var stack = Array(graph[module] ?? [])
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            stack.append(contentsOf: graph[next] ?? [])
        }
        return seen
    }

    /// The rules broken in `graph`, one line each.
    static func violations(in graph: Graph) -> [String] {
        var broken: [String] = []
        func never(_ modules: [String], reach forbidden: Set<String>, _ why: String) {
            for module in modules {
                let bad = reach(of: module, in: graph).intersection(forbidden)
                if !bad.isEmpty { broken.append("\(module) reaches \(bad.sorted().joined(separator: ", ")): \(why)") }
            }
        }
        let domain: Set<String> = ["Billing", "BillingStore", "BillingJobs", "API", "Documents", "EInvoice"]
        never(["Queue", "Scheduler", "Worker", "Console"], reach: domain, "the job runtime and its console know nothing of billing")
        let billingDependencies = graph["Billing"] ?? []
        if !billingDependencies.isSubset(of: ["BillportCore"]) {
            broken.append("Billing depends on \(billingDependencies.subtracting(["BillportCore"]).sorted().joined(separator: ", ")): the domain depends on BillportCore only")
        }
        let eInvoiceDependencies = graph["EInvoice"] ?? []
        if !eInvoiceDependencies.isSubset(of: ["Billing", "BillportCore"]) {
            broken.append("EInvoice depends on \(eInvoiceDependencies.subtracting(["Billing", "BillportCore"]).sorted().joined(separator: ", ")): e-invoices are pure, made from the domain alone")
        }
        let postgresDependencies = graph["PostgreSQL"] ?? []
        if !postgresDependencies.isSubset(of: ["CLibPQ", "Relational", "BillportCore"]) {
            broken.append("PostgreSQL depends on \(postgresDependencies.subtracting(["CLibPQ", "Relational", "BillportCore"]).sorted().joined(separator: ", ")): the libpq wrapper knows no Billport store")
        }
        if let relationalDependencies = graph["Relational"], !relationalDependencies.isEmpty {
            broken.append("Relational depends on \(relationalDependencies.sorted().joined(separator: ", ")): the SQL contract both backends implement depends on nothing")
        }
        if let qrDependencies = graph["QRCode"], !qrDependencies.isEmpty {
            broken.append("QRCode depends on \(qrDependencies.sorted().joined(separator: ", ")): the QR encoder depends on nothing")
        }
        never(["Documents", "PDF", "Mail", "Payments"], reach: ["SQLite", "Queue", "BillingStore"], "documents and outside services know no storage")
        never(["HTTPServer"], reach: domain.union(["Payments", "Mail", "PDF", "Queue", "Worker", "Scheduler", "SQLite", "Tokens"]),
              "the HTTP server knows no domain")
        let entryPoints = ["API", "Worker", "Scheduler", "BillingJobs"]
        for module in entryPoints {
            never([module], reach: Set(entryPoints).subtracting([module]), "API, Worker, Scheduler and BillingJobs stay apart")
        }
        let cModules: Set<String> = ["CSQLite", "COpenSSL", "CCurl", "CLibPQ"]
        let cWrappers: Set<String> = ["SQLite", "Tokens", "Curl", "PostgreSQL"]
        for (module, dependencies) in graph.sorted(by: { $0.key < $1.key }) where !cWrappers.contains(module) && !cModules.contains(module) {
            let direct = dependencies.intersection(cModules)
            if !direct.isEmpty { broken.append("\(module) depends on \(direct.sorted().joined(separator: ", ")): only SQLite, Tokens, Curl and PostgreSQL wrap C") }
        }
        return broken
    }

    @Test func theModulesKeepTheirLayers() throws {
        let broken = Self.violations(in: try Self.graph())
        #expect(broken.isEmpty, "\(broken.joined(separator: "\n"))")
    }

    @Test func aBrokenRuleIsCaught() throws {
        var graph = try Self.graph()
        graph["Worker", default: []].insert("BillingStore")
        graph["Billing", default: []].insert("SQLite")
        graph["Mail", default: []].insert("CCurl")
        graph["EInvoice", default: []].insert("PDF")
        graph["QRCode", default: []].insert("BillportCore")
        graph["PostgreSQL", default: []].insert("Queue")
        graph["Queue", default: []].insert("CLibPQ")
        graph["Relational", default: []].insert("SQLite")
        let broken = Self.violations(in: graph)
        #expect(broken.contains { $0.hasPrefix("Worker reaches Billing, BillingStore") })
        #expect(broken.contains { $0.hasPrefix("Billing depends on SQLite") })
        #expect(broken.contains { $0.hasPrefix("Mail depends on CCurl") })
        #expect(broken.contains { $0.hasPrefix("EInvoice depends on PDF") })
        #expect(broken.contains { $0.hasPrefix("QRCode depends on BillportCore") })
        #expect(broken.contains { $0.hasPrefix("PostgreSQL depends on Queue") })
        #expect(broken.contains { $0.hasPrefix("Queue depends on CLibPQ") })
        #expect(broken.contains { $0.hasPrefix("Relational depends on SQLite") })
    }
}
