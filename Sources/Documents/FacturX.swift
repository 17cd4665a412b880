import Foundation
import PDF

/// A Factur-X 1.0 (ZUGFeRD 2.x) profile: what the XML inside the PDF claims to be.
public enum FacturXProfile: String, Sendable, CaseIterable {
    case minimum, basicWL, basic, en16931, extended

    /// `fx:ConformanceLevel`.
    public var conformanceLevel: String {
        switch self {
        case .minimum: "MINIMUM"
        case .basicWL: "BASIC WL"
        case .basic: "BASIC"
        case .en16931: "EN 16931"
        case .extended: "EXTENDED"
        }
    }

    /// Whether the XML is a complete invoice (it has lines). Factur-X allows `Data`, `Source` or
    /// `Alternative` as the XML's relationship for these, and only `Data` for MINIMUM and BASIC WL,
    /// which are booking aids rather than invoices.
    public var isCompleteInvoice: Bool {
        switch self {
        case .minimum, .basicWL: false
        case .basic, .en16931, .extended: true
        }
    }
}

/// A Cross Industry Invoice packaged as Factur-X: the embedded `factur-x.xml` and the `fx:` XMP
/// properties with their PDF/A extension schema. The XML itself is made elsewhere; this type
/// checks only that it is there and bounded.
public struct FacturXAttachment: Sendable, Equatable {
    public static let fileName = "factur-x.xml"
    public static let namespaceURI = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
    public static let version = "1.0"

    public let xml: [UInt8]
    public let profile: FacturXProfile
    /// The document's date, used as the attachment's modification date.
    public let date: Date
    /// `/AFRelationship` of the XML: `Data` by default (what the reference `factur-x` library
    /// writes); `Source` or `Alternative` only for a complete invoice, else `Data` is kept.
    public let relationship: PDFEmbeddedFile.Relationship

    public init(xml: [UInt8], profile: FacturXProfile = .en16931, date: Date, relationship: PDFEmbeddedFile.Relationship = .data) {
        self.xml = xml
        self.profile = profile
        self.date = date
        let allowed: Set<PDFEmbeddedFile.Relationship> = profile.isCompleteInvoice ? [.data, .source, .alternative] : [.data]
        self.relationship = allowed.contains(relationship) ? relationship : .data
    }

    /// The embedded file (`text/xml`).
    public func embeddedFile() throws(PDFMetadataError) -> PDFEmbeddedFile {
        guard !xml.isEmpty else { throw PDFMetadataError("the Factur-X XML is empty") }
        return try PDFEmbeddedFile(fileName: Self.fileName, mimeType: "text/xml", data: xml,
                                   description: "Factur-X invoice (\(profile.conformanceLevel))", modificationDate: date,
                                   relationship: relationship)
    }

    /// The `fx:` XMP namespace and its description, as the Factur-X specification lists them.
    public func metadata() throws(PDFMetadataError) -> XMPExtensionSchema {
        try XMPExtensionSchema(namespaceURI: Self.namespaceURI, prefix: "fx", name: "Factur-X PDFA Extension Schema", properties: [
            .init(name: "DocumentFileName", value: Self.fileName, description: "name of the embedded XML invoice file"),
            .init(name: "DocumentType", value: "INVOICE", description: "INVOICE"),
            .init(name: "Version", value: Self.version, description: "The actual version of the Factur-X XML schema"),
            .init(name: "ConformanceLevel", value: profile.conformanceLevel, description: "The conformance level of the embedded Factur-X data"),
        ])
    }

    /// Makes `document` PDF/A-3b carrying the XML.
    public func apply(to document: inout PDFDocument) throws(PDFMetadataError) {
        document.conformance = .pdfA3b
        try document.attach(embeddedFile())
        try document.addMetadata(metadata())
    }
}
