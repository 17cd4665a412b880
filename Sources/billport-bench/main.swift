import Foundation
import TestSupport

// billport-bench [--only GROUP]: release-build benchmarks. Groups: pdf, einvoice, qr, queue, http, email, webhook, webhooks-out, abuse, scale, postgres.
let arguments = Array(CommandLine.arguments.dropFirst())
let only: String? = arguments.firstIndex(of: "--only").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
let groups = ["pdf", "einvoice", "qr", "queue", "http", "email", "webhook", "webhooks-out", "abuse", "scale", "postgres"]
if let only, !groups.contains(only) {
    FileHandle.standardError.write(Data("billport-bench: unknown group '\(only)'; groups: \(groups.joined(separator: ", "))\n".utf8))
    exit(64)
}

let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
let billport = binDirectory + "/billport"
guard FileManager.default.isExecutableFile(atPath: billport) else {
    FileHandle.standardError.write(Data("billport-bench: \(billport) not found; build it with `swift build -c release`\n".utf8))
    exit(1)
}
let directory = NSTemporaryDirectory() + "billport-bench-\(ProcessInfo.processInfo.processIdentifier)"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }

func runGroups(only: String?) async throws -> BenchReport {
    var report = BenchReport()
    // First, so that its peak RSS is the renderer's alone.
    if only == nil || only == "pdf" {
        try PDFBench().run(&report)
    }
    if only == nil || only == "einvoice" {
        try EInvoiceBench().run(&report)
    }
    if only == nil || only == "qr" {
        try QRBench().run(&report)
    }
    if only == nil || only == "queue" {
        try await QueueBench(billport: billport, directory: directory).run(&report)
    }
    if only == nil || only == "http" {
        try await HTTPBench(billport: billport, directory: directory).run(&report)
    }
    if only == nil || only == "email" {
        try await EmailBench(directory: directory).run(&report)
    }
    if only == nil || only == "webhook" {
        try await WebhookBench(billport: billport, directory: directory).run(&report)
    }
    if only == nil || only == "webhooks-out" {
        try await WebhookOutBench(billport: billport, directory: directory).run(&report)
    }
    if only == nil || only == "abuse" {
        try await AbuseBench(billport: billport, directory: directory).run(&report)
        try await LogoBombBench(billport: billport, directory: directory).run(&report)
    }
    if only == nil || only == "scale" {
        try await ScaleBench(billport: billport, directory: directory).run(&report)
    }
    if only == "postgres" || (only == nil && PostgresServer.isAvailable) {
        try await PostgresBench(billport: billport, directory: directory).run(&report)
    }
    return report
}

let report: BenchReport
do {
    report = try await runGroups(only: only)
} catch {
    FileHandle.standardError.write(Data("billport-bench: \(error)\n".utf8))
    exit(1)
}
report.printTable(title: "Billport benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores, release build)")
