import Foundation
import Testing
import TestSupport
@testable import PDF

/// PDF/A-3b output: checked with qpdf and, through `Tests/Python/check_pdfa.py`, pikepdf and
/// Pillow's colour engine.
@Suite struct ArchivalPDFTests {
    static let font = Result { () throws -> PDFFont in
        let data = try #require(FileManager.default.contents(atPath: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
        return try PDFFont(trueTypeData: [UInt8](data))
    }
    static let date = Date(timeIntervalSince1970: 1_793_577_600) // 2026-11-02T00:00:00Z
    static let xml = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<data>Zoë</data>\n".utf8)
    /// A minimal CMYK JPEG header: enough for the writer, which passes JPEG data through.
    static let cmykJPEG: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x14, 8, 0, 1, 0, 1, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0, 0xFF, 0xD9]

    func document(title: String = "Invoice INV-1", conformance: PDFConformance? = .pdfA3b, logo: [UInt8]? = nil) throws -> PDFDocument {
        var document = PDFDocument(info: PDFDocumentInfo(title: title, author: "Demo GmbH", subject: "Invoice INV-1 for Zoë", creator: "Billport",
                                                         producer: "Billport", creationDate: Self.date))
        document.conformance = conformance
        var page = PDFPage(size: .a4)
        page.text("Invoice INV-1 — Zoë Müller", x: 50, y: 80, font: try Self.font.get(), size: 12)
        page.rectangle(x: 50, y: 100, width: 200, height: 20, fill: PDFColor(red: 0.1, green: 0.4, blue: 0.9))
        page.link(url: "https://example.com/pay?x=(1)", x: 50, y: 130, width: 120, height: 14)
        if let logo { page.image(try PDFImage(data: logo), x: 400, y: 40, width: 100, height: 40) }
        document.append(page)
        return document
    }

    func attachment(_ name: String = "data.xml", relationship: PDFEmbeddedFile.Relationship = .data) throws -> PDFEmbeddedFile {
        try PDFEmbeddedFile(fileName: name, mimeType: "text/xml", data: Self.xml, description: "Structured data", modificationDate: Self.date,
                            relationship: relationship)
    }

    func write(_ bytes: [UInt8], _ dir: TemporaryDirectory) throws -> String {
        let path = dir.file("archival.pdf")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func qpdfCheck(_ path: String) throws -> Spawn.Output {
        try Spawn.run("/usr/bin/qpdf", ["--check", path])
    }

    @Test func theSRGBProfileHasAValidV2DisplayHeaderAndTheSRGBColorants() throws {
        let profile = SRGBProfile.bytes
        func u32(_ at: Int) -> Int { Int(profile[at]) << 24 | Int(profile[at + 1]) << 16 | Int(profile[at + 2]) << 8 | Int(profile[at + 3]) }
        func tag(_ at: Int) -> String { String(decoding: profile[at..<(at + 4)], as: UTF8.self) }
        #expect(u32(0) == profile.count)
        #expect(profile[8] == 2)
        #expect(tag(12) == "mntr" && tag(16) == "RGB " && tag(20) == "XYZ " && tag(36) == "acsp")
        let tags = (0..<u32(128)).map { tag(132 + $0 * 12) }
        #expect(Set(tags) == ["desc", "cprt", "wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"])
        for index in 0..<tags.count {
            let offset = u32(132 + index * 12 + 4), size = u32(132 + index * 12 + 8)
            #expect(offset % 4 == 0 && offset + size <= profile.count, "tag \(tags[index]) lies outside the profile")
        }
        // The adapted primaries add up to the D50 white of the connection space.
        let sum = SRGBProfile.colorants.reduce((x: 0.0, y: 0.0, z: 0.0)) { ($0.x + $1.x, $0.y + $1.y, $0.z + $1.z) }
        #expect(abs(sum.x - 0.9642) < 1e-4 && abs(sum.y - 1) < 1e-4 && abs(sum.z - 0.8249) < 1e-4)
        #expect(abs(SRGBProfile.colorants[0].x - 0.4361) < 5e-4 && abs(SRGBProfile.colorants[1].y - 0.7169) < 5e-4
            && abs(SRGBProfile.colorants[2].z - 0.7141) < 5e-4)
        #expect(abs(SRGBProfile.linear(0.5) - 0.2140) < 1e-4)
    }

    @Test func aPlainDocumentHasNoneOfTheArchivalParts() throws {
        let text = String(decoding: try document(conformance: nil).render(), as: UTF8.self)
        for archival in ["/OutputIntents", "pdfaid", "/AF", "/EmbeddedFiles", "/F 4", "MetadataDate"] {
            #expect(!text.contains(archival), "a plain PDF has \(archival)")
        }
    }

    /// Recorded when archival mode came in, after checking that `billport sample-pdf` gave the
    /// same bytes before and after it: a plain document must not change by a byte.
    @Test func aPlainDocumentKeepsItsBytes() throws {
        let bytes = try document(conformance: nil, logo: TestPNG.zeros(width: 8, height: 4)).render()
        #expect(String(PDFSyntax.fnv1a(bytes), radix: 16) == "c22fb6ddbfbba471")
    }

    @Test func archivalOutputIsDeterministic() throws {
        var document = try document()
        try document.attach(attachment())
        #expect(document.render() == document.render())
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/qpdf"), "skipped: qpdf not installed (apt-get install qpdf)"))
    func qpdfAcceptsAnArchivalPDFWithAnAttachmentAndOneWithALogoAndLinks() throws {
        let dir = TemporaryDirectory()
        var withFile = try document()
        try withFile.attach(attachment())
        let first = try qpdfCheck(try write(withFile.render(), dir))
        #expect(first.status == 0, "\(first.text)")
        let withLogo = try document(logo: TestPNG.zeros(width: 8, height: 4))
        let second = try qpdfCheck(try write(withLogo.render(), dir))
        #expect(second.status == 0, "\(second.text)")
    }

    @Test(.enabled(if: PDFAReport.toolsInstalled, PDFAReport.skipMessage))
    func pikepdfFindsThePDFAPartsAndNoBrokenRuleInADocumentWithALogoLinksAndTwoFiles() throws {
        let dir = TemporaryDirectory()
        var document = try document(title: "Invoice <INV-1> & \u{1}more", logo: TestPNG.zeros(width: 8, height: 4))
        try document.attach(attachment("data.xml", relationship: .data))
        try document.attach(attachment("source-Ü.xml", relationship: .source))
        try document.addMetadata(XMPExtensionSchema(namespaceURI: "urn:example:billport:1#", prefix: "bp", name: "Billport test schema", properties: [
            .init(name: "Kind", value: "test & more", description: "what this is"),
        ]))
        let report = try PDFAReport.read(try write(document.render(), dir))
        #expect(report.metadata.part == "3" && report.metadata.conformance == "B" && report.pdfaStatus == "3B")
        #expect(report.violations == [])
        #expect(report.metadata.title == "Invoice <INV-1> & more")
        #expect(report.metadata.producer == "Billport")
        #expect(report.metadata.createDate == "2026-11-02T00:00:00Z", "\(report.metadata.createDate ?? "none")")
        #expect(report.metadata.metadataDate == "2026-11-02T00:00:00Z")
        #expect(!report.metadata.metadataFiltered)
        #expect(report.outputIntents.count == 1)
        let intent = try #require(report.outputIntents.first)
        #expect(intent.subtype == "GTS_PDFA1" && intent.condition == "sRGB IEC61966-2.1" && intent.n == 3)
        #expect(intent.icc.size == intent.icc.length && intent.icc.class == "mntr" && intent.icc.space == "RGB " && intent.icc.pcs == "XYZ "
            && intent.icc.signature == "acsp" && intent.icc.version == 2)
        if let description = intent.icc.description {
            #expect(description.hasPrefix("sRGB IEC61966-2.1"))
            #expect(try #require(intent.icc.maxChannelDifference) <= 1, "sRGB through the generated profile is not near identity")
        }
        #expect(report.attachments.keys.sorted() == ["data.xml", "source-Ü.xml"])
        #expect(report.attachments["data.xml"]?.relationship == "Data" && report.attachments["source-Ü.xml"]?.relationship == "Source")
        #expect(report.attachments["data.xml"]?.subtype == "text/xml" && report.attachments["data.xml"]?.hasModDate == true)
        #expect(report.attachments["data.xml"]?.size == Self.xml.count)
        #expect(report.af == ["data.xml", "source-Ü.xml"])
        #expect(report.annotationFlags == [4])
        #expect(!report.encrypted && report.hasID)
        #expect(report.metadata.fx.values.allSatisfy { $0 == nil })
    }

    @Test func aCMYKJPEGIsLeftOutOfAnArchivalPDFButKeptInAPlainOne() throws {
        let archival = String(decoding: try document(logo: Self.cmykJPEG).render(), as: UTF8.self)
        #expect(!archival.contains("DeviceCMYK") && !archival.contains("/Im1"))
        let plain = String(decoding: try document(conformance: nil, logo: Self.cmykJPEG).render(), as: UTF8.self)
        #expect(plain.contains("DeviceCMYK") && plain.contains("/XObject << /Im1 "))
    }

    @Test func hostileAttachmentsAndMetadataAreRefusedWithTheReason() throws {
        func refusal(_ make: () throws -> Void) -> String? {
            do { try make(); return nil } catch { return "\(error)" }
        }
        #expect(refusal { _ = try PDFEmbeddedFile(fileName: "", mimeType: "text/xml", data: [], description: "", modificationDate: Self.date,
                                                  relationship: .data) }?.contains("file name") == true)
        #expect(refusal { _ = try PDFEmbeddedFile(fileName: "../etc/passwd", mimeType: "text/xml", data: [], description: "",
                                                  modificationDate: Self.date, relationship: .data) } != nil)
        #expect(refusal { _ = try PDFEmbeddedFile(fileName: "a\u{0}.xml", mimeType: "text/xml", data: [], description: "",
                                                  modificationDate: Self.date, relationship: .data) } != nil)
        #expect(refusal { _ = try PDFEmbeddedFile(fileName: "a.xml", mimeType: "text/xml /JS", data: [], description: "",
                                                  modificationDate: Self.date, relationship: .data) }?.contains("MIME") == true)
        #expect(refusal { _ = try PDFEmbeddedFile(fileName: "a.xml", mimeType: "text/xml", data: [UInt8](repeating: 0, count: PDFEmbeddedFile.maxBytes + 1),
                                                  description: "", modificationDate: Self.date, relationship: .data) } != nil)
        #expect(refusal { _ = try XMPExtensionSchema(namespaceURI: "urn:x#", prefix: "pdfaid", name: "", properties: [
            .init(name: "part", value: "1", description: ""),
        ]) }?.contains("predefined") == true)
        #expect(refusal { _ = try XMPExtensionSchema(namespaceURI: "urn:x#", prefix: "a b", name: "", properties: [
            .init(name: "P", value: "1", description: ""),
        ]) } != nil)
        #expect(refusal { _ = try XMPExtensionSchema(namespaceURI: "urn:x#\"><x", prefix: "ab", name: "", properties: [
            .init(name: "P", value: "1", description: ""),
        ]) } != nil)
        #expect(refusal { _ = try XMPExtensionSchema(namespaceURI: "urn:x#", prefix: "ab", name: "", properties: [
            .init(name: "P></x", value: "1", description: ""),
        ]) } != nil)
        var document = try document()
        try document.attach(attachment())
        #expect(refusal { try document.attach(attachment()) }?.contains("already") == true)
    }

    @Test func embeddedFileSubtypesAreEscapedPDFNames() throws {
        #expect(try attachment().subtypeName == "/text#2Fxml")
        let plus = try PDFEmbeddedFile(fileName: "a.xml", mimeType: "application/vnd.foo+xml", data: [], description: "",
                                       modificationDate: Self.date, relationship: .unspecified)
        #expect(plus.subtypeName == "/application#2Fvnd.foo+xml")
    }
}
