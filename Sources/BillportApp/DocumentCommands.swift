import API
import BillportCore
import Documents
import Foundation

/// `sample-pdf`: a sample invoice PDF, to look at as a buyer would; `openapi`: the API described.
enum DocumentCommands {
    static let all: [Command] = [
        Command(words: ["sample-pdf"], summary: "render a sample invoice PDF (no database needed)",
                spec: CommandSpec(command: "billport sample-pdf", options: ["out", "lines", "logo"]), help: """
            Usage: billport sample-pdf [--out sample-invoice.pdf] [--lines 8] [--logo logo.png]

            Renders the multilingual sample invoice (no database needed) with DejaVu Sans.
            """) { arguments, context, console in
            let command = "billport sample-pdf"
            let lines = try JobsCommands.number(arguments.option("lines") ?? "8", option: "--lines", command: command, range: 1...10_000)
            var logo: [UInt8]?
            if let path = arguments.option("logo") {
                guard let data = FileManager.default.contents(atPath: path) else { throw StartupError("cannot read the logo \(path)") }
                logo = [UInt8](data)
            }
            let out = arguments.option("out") ?? "sample-invoice.pdf"
            let bytes = try context.renderer().render(try SampleInvoice.served(lines: lines, logo: logo))
            guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else { throw StartupError("cannot write \(out)") }
            console.out("wrote \(out) (\(bytes.count) bytes)")
            return 0
        },
        Command(words: ["openapi"], summary: "print the OpenAPI 3.1 document of the HTTP API (no database needed)",
                spec: CommandSpec(command: "billport openapi"), help: """
            Usage: billport openapi

            Prints the OpenAPI 3.1 document that `GET /api/openapi.json` serves: every route under
            /api/ and the health checks, their parameters, bodies, answers and errors. The copy in
            docs/openapi.json is this output; a test fails when they differ.
            """) { _, _, console in
            console.out(String(OpenAPIDocument.text.dropLast()))
            return 0
        },
    ]
}
