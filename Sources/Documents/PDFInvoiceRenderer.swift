import BillportCore
import Foundation
import PDF
import Billing

/// The production renderer: the invoice layout drawn with embedded DejaVu Sans subsets.
public final class PDFInvoiceRenderer: InvoiceRenderer {
    private let regular: PDFFont
    private let bold: PDFFont
    private let logoPolicy: LogoPolicy
    private let logger: Logger

    /// Debian's fonts-dejavu-core (DejaVu fonts licence, a free Bitstream Vera derivative).
    public static let defaultFontDirectory = "/usr/share/fonts/truetype/dejavu"

    /// Loads `DejaVuSans.ttf` and `DejaVuSans-Bold.ttf` from `fontDirectory`, once at start.
    /// A logo that `logoPolicy` refuses is left out of the PDF and logged through `logger`.
    public init(fontDirectory: String = PDFInvoiceRenderer.defaultFontDirectory, logoPolicy: LogoPolicy = LogoPolicy(),
                logger: Logger = .disabled) throws {
        self.logoPolicy = logoPolicy
        self.logger = logger.labelled("pdf")
        func load(_ name: String) throws -> PDFFont {
            let path = fontDirectory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw RenderFailure("the font \(path) is missing; install Debian's fonts-dejavu-core or set pdf.fontDirectory")
            }
            do {
                return try PDFFont(trueTypeData: [UInt8](data))
            } catch {
                throw RenderFailure("the font \(path) cannot be used: \(error)")
            }
        }
        regular = try load("DejaVuSans.ttf")
        bold = try load("DejaVuSans-Bold.ttf")
    }

    public func render(_ sheet: InvoiceSheet) throws -> [UInt8] {
        let logo = try logoImage(sheet.branding, of: ("invoice", "\(sheet.invoice.id)"))
        if sheet.eInvoiceXML != nil, logo?.isCMYK == true {
            // PDF/A with an sRGB output intent cannot show CMYK; the writer leaves such an image out.
            logger.warning("CMYK logo left out of the PDF/A invoice", ["invoice": "\(sheet.invoice.id)"])
        }
        let layout = InvoiceLayout(sheet: sheet, measurer: Measurer(regular: regular, bold: bold), logoPixels: logo.map { ($0.pixelWidth, $0.pixelHeight) })
        let title = "\(sheet.invoice.type == .ap ? "Bill" : "Invoice") \(sheet.invoice.number)"
        let info = PDFDocumentInfo(title: title, author: sheet.vendorName, subject: "\(title) for \(sheet.customerName)", creator: "Billport",
                                   producer: "Billport", creationDate: sheet.documentDate)
        var document = compose(layout.pages(), logo: logo, info: info)
        try attach(sheet.eInvoiceXML, date: sheet.documentDate, to: &document)
        return document.render()
    }

    /// A credit note's PDF: the invoice layout titled "Credit note", without payment details;
    /// PDF/A-3b with its Factur-X XML (type 381) when the sheet carries one.
    public func render(_ sheet: CreditNoteSheet) throws -> [UInt8] {
        let logo = try logoImage(sheet.branding, of: ("creditNote", sheet.document.number))
        if sheet.eInvoiceXML != nil, logo?.isCMYK == true {
            logger.warning("CMYK logo left out of the PDF/A credit note", ["creditNote": sheet.document.number])
        }
        let layout = InvoiceLayout(creditNote: sheet, measurer: Measurer(regular: regular, bold: bold), logoPixels: logo.map { ($0.pixelWidth, $0.pixelHeight) })
        let title = "Credit note \(sheet.document.number)"
        let info = PDFDocumentInfo(title: title, author: sheet.vendorName, subject: "\(title) for \(sheet.document.buyer.name)", creator: "Billport",
                                   producer: "Billport", creationDate: sheet.documentDate)
        var document = compose(layout.pages(), logo: logo, info: info)
        try attach(sheet.eInvoiceXML, date: sheet.documentDate, to: &document)
        return document.render()
    }

    private func logoImage(_ branding: Branding, of document: (key: String, value: String)) throws -> PDFImage? {
        guard let bytes = branding.logo else { return nil }
        do {
            return try logoPolicy.image(bytes)
        } catch where error.isOversized {
            // Stored before uploads were checked: never decoded; the document goes out without it.
            logger.warning("logo left out of the PDF", [document.key: document.value, "reason": error.description])
            return nil
        } catch {
            throw RenderFailure("the tenant's logo cannot be used: \(error)")
        }
    }

    /// The laid-out pages drawn into a document, not yet written (attachments may still be added).
    private func compose(_ pages: [LaidOutPage], logo: PDFImage?, info: PDFDocumentInfo) -> PDFDocument {
        var document = PDFDocument(info: info)
        for laidOut in pages {
            var page = PDFPage(size: laidOut.width > 600 ? .letter : .a4)
            for op in laidOut.ops {
                switch op {
                case .text(let string, let x, let y, let isBold, let size, let color):
                    page.text(string, x: x, y: y, font: isBold ? bold : regular, size: size, color: color)
                case .line(let x1, let y1, let x2, let y2, let width, let color):
                    page.line(from: (x1, y1), to: (x2, y2), width: width, color: color)
                case .rectangle(let x, let y, let width, let height, let fill):
                    page.rectangle(x: x, y: y, width: width, height: height, fill: fill)
                case .logo(let x, let y, let width, let height):
                    if let logo { page.image(logo, x: x, y: y, width: width, height: height) }
                }
            }
            document.append(page)
        }
        return document
    }

    /// With `xml`, makes `document` PDF/A-3b carrying it as Factur-X; without, leaves it a plain PDF.
    private func attach(_ xml: [UInt8]?, date: Date, to document: inout PDFDocument) throws {
        guard let xml else { return }
        do {
            try FacturXAttachment(xml: xml, date: date).apply(to: &document)
        } catch {
            throw RenderFailure("the e-invoice cannot be embedded: \(error)")
        }
    }

    struct Measurer: TextMeasurer {
        let regular: PDFFont
        let bold: PDFFont
        func width(of text: String, bold isBold: Bool, size: Double) -> Double {
            (isBold ? bold : regular).width(of: text, size: size)
        }
    }
}
