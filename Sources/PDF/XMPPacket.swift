import BillportCore
import Foundation

/// Why metadata or an attachment cannot go into a PDF; `description` names the field.
public struct PDFMetadataError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A caller's own XMP namespace with its values and the PDF/A extension schema that describes it
/// (ISO 19005-3 §6.6.2.3.2: a PDF/A file may use only predefined XMP properties or those whose
/// schema it describes in `pdfaExtension:schemas`).
public struct XMPExtensionSchema: Sendable, Equatable {
    /// One `Text` property with its value.
    public struct Property: Sendable, Equatable {
        /// `external`: shown to people; `internal`: for software (XMP Part 1, PDF/A extension schemas).
        public enum Category: String, Sendable { case external, `internal` }
        public let name: String
        public let value: String
        public let category: Category
        public let description: String

        public init(name: String, value: String, category: Category = .external, description: String) {
            self.name = name
            self.value = value
            self.category = category
            self.description = description
        }
    }

    public let namespaceURI: String
    public let prefix: String
    /// The schema's human name (`pdfaSchema:schema`).
    public let name: String
    public let properties: [Property]

    /// Prefixes that the packet itself uses or that name predefined schemas.
    static let reservedPrefixes: Set<String> = ["x", "rdf", "xml", "xmlns", "dc", "xmp", "pdf", "pdfaid", "pdfaExtension", "pdfaSchema",
                                               "pdfaProperty", "pdfaType", "pdfaField", "xmpMM", "xmpRights", "photoshop", "tiff", "exif"]

    /// Checks every name (an XML name of ASCII letters and digits) and bounds every text.
    public init(namespaceURI: String, prefix: String, name: String, properties: [Property]) throws(PDFMetadataError) {
        guard Self.isSimpleName(prefix), !Self.reservedPrefixes.contains(prefix) else {
            throw PDFMetadataError("XMP prefix \"\(prefix.prefix(40))\" must be 1–32 ASCII letters and digits and not a predefined one")
        }
        guard (1...200).contains(namespaceURI.utf8.count), namespaceURI.unicodeScalars.allSatisfy({
            $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && !"\"'<>&\\`{}|^".unicodeScalars.contains($0)
        }) else {
            throw PDFMetadataError("XMP namespace URI must be 1–200 ASCII characters allowed in a URI")
        }
        guard !properties.isEmpty, properties.count <= 64, Set(properties.map(\.name)).count == properties.count else {
            throw PDFMetadataError("an XMP extension schema needs 1–64 properties with distinct names")
        }
        for property in properties {
            guard Self.isSimpleName(property.name) else { throw PDFMetadataError("XMP property name \"\(property.name.prefix(40))\" must be 1–32 ASCII letters and digits") }
            guard property.value.utf8.count <= 2_000, property.description.utf8.count <= 2_000 else {
                throw PDFMetadataError("XMP property \(property.name): value and description are limited to 2000 bytes")
            }
        }
        guard name.utf8.count <= 200 else { throw PDFMetadataError("XMP schema name is limited to 200 bytes") }
        self.namespaceURI = namespaceURI
        self.prefix = prefix
        self.name = name
        self.properties = properties
    }

    static func isSimpleName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, (1...32).contains(text.unicodeScalars.count), first.properties.isAlphabetic, first.isASCII else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}

/// The XMP packet mirroring the Info dictionary (ISO 32000-1 §14.3.2); for an archival document
/// also the PDF/A identification and `xmp:MetadataDate`, and every extension schema with its
/// description.
enum XMP {
    static func packet(_ info: PDFDocumentInfo, archival: PDFConformance? = nil, extensions: [XMPExtensionSchema] = []) -> String {
        let date = ISO8601.format(info.creationDate)
        var text = """
            <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">\(escaped(info.title))</rdf:li></rdf:Alt></dc:title>
            <dc:creator><rdf:Seq><rdf:li>\(escaped(info.author))</rdf:li></rdf:Seq></dc:creator>
            <dc:description><rdf:Alt><rdf:li xml:lang="x-default">\(escaped(info.subject))</rdf:li></rdf:Alt></dc:description>
            <xmp:CreatorTool>\(escaped(info.creator))</xmp:CreatorTool>
            <xmp:CreateDate>\(date)</xmp:CreateDate>
            <xmp:ModifyDate>\(date)</xmp:ModifyDate>

            """
        if archival != nil { text += "<xmp:MetadataDate>\(date)</xmp:MetadataDate>\n" }
        text += """
            <pdf:Producer>\(escaped(info.producer))</pdf:Producer>
            </rdf:Description>

            """
        if let archival {
            text += """
                <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
                <pdfaid:part>\(archival.part)</pdfaid:part>
                <pdfaid:conformance>\(archival.level)</pdfaid:conformance>
                </rdf:Description>

                """
        }
        for schema in extensions {
            text += "<rdf:Description rdf:about=\"\" xmlns:\(schema.prefix)=\"\(escaped(schema.namespaceURI))\">\n"
            for property in schema.properties {
                text += "<\(schema.prefix):\(property.name)>\(escaped(property.value))</\(schema.prefix):\(property.name)>\n"
            }
            text += "</rdf:Description>\n"
        }
        if !extensions.isEmpty { text += extensionDescriptions(extensions) }
        return text + """
            </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="w"?>
            """
    }

    /// `pdfaExtension:schemas` (ISO 19005-3 §6.6.2.3.3).
    private static func extensionDescriptions(_ schemas: [XMPExtensionSchema]) -> String {
        var text = """
            <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
            <pdfaExtension:schemas><rdf:Bag>

            """
        for schema in schemas {
            text += """
                <rdf:li rdf:parseType="Resource">
                <pdfaSchema:schema>\(escaped(schema.name))</pdfaSchema:schema>
                <pdfaSchema:namespaceURI>\(escaped(schema.namespaceURI))</pdfaSchema:namespaceURI>
                <pdfaSchema:prefix>\(schema.prefix)</pdfaSchema:prefix>
                <pdfaSchema:property><rdf:Seq>

                """
            for property in schema.properties {
                text += """
                    <rdf:li rdf:parseType="Resource">
                    <pdfaProperty:name>\(property.name)</pdfaProperty:name>
                    <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                    <pdfaProperty:category>\(property.category.rawValue)</pdfaProperty:category>
                    <pdfaProperty:description>\(escaped(property.description))</pdfaProperty:description>
                    </rdf:li>

                    """
            }
            text += "</rdf:Seq></pdfaSchema:property>\n</rdf:li>\n"
        }
        return text + "</rdf:Bag></pdfaExtension:schemas>\n</rdf:Description>\n"
    }

    /// `text` without the characters XML 1.0 cannot carry (C0 controls but tab and line ends,
    /// U+FFFE, U+FFFF), so no input makes the packet unreadable; the Info dictionary gets the
    /// same text, as PDF/A wants both to say the same.
    static func representable(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.filter { scalar in
            scalar.value >= 0x20 ? scalar.value != 0xFFFE && scalar.value != 0xFFFF : "\t\n\r".unicodeScalars.contains(scalar)
        })
        return String(kept)
    }

    /// XML text: representable, markup escaped.
    static func escaped(_ text: String) -> String {
        representable(text).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
