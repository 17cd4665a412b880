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
        var logo: PDFImage?
        if let bytes = sheet.branding.logo {
            do {
                logo = try logoPolicy.image(bytes)
            } catch where error.isOversized {
                // Stored before uploads were checked: never decoded; the invoice goes out without it.
                logger.warning("logo left out of the PDF", ["invoice": "\(sheet.invoice.id)", "reason": error.description])
            } catch {
                throw RenderFailure("the tenant's logo cannot be used: \(error)")
            }
        }
        if sheet.eInvoiceXML != nil, logo?.isCMYK == true {
            // PDF/A with an sRGB output intent cannot show CMYK; the writer leaves such an image out.
            logger.warning("CMYK logo left out of the PDF/A invoice", ["invoice": "\(sheet.invoice.id)"])
        }
        return try render(sheet, logo: logo)
    }

    private func render(_ sheet: InvoiceSheet, logo: PDFImage?) throws -> [UInt8] {
        let measurer = Measurer(regular: regular, bold: bold)
        let pages = InvoiceLayout(sheet: sheet, measurer: measurer, logoPixels: logo.map { ($0.pixelWidth, $0.pixelHeight) }).pages()
        let title = "\(sheet.invoice.type == .ap ? "Bill" : "Invoice") \(sheet.invoice.number)"
        var document = PDFDocument(info: PDFDocumentInfo(title: title, author: sheet.vendorName, subject: "\(title) for \(sheet.customerName)",
                                                         creator: "Billport", producer: "Billport", creationDate: sheet.documentDate))
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
        if let xml = sheet.eInvoiceXML {
            do {
                try FacturXAttachment(xml: xml, date: sheet.documentDate).apply(to: &document)
            } catch {
                throw RenderFailure("the e-invoice cannot be embedded: \(error)")
            }
        }
        return document.render()
    }

    struct Measurer: TextMeasurer {
        let regular: PDFFont
        let bold: PDFFont
        func width(of text: String, bold isBold: Bool, size: Double) -> Double {
            (isBold ? bold : regular).width(of: text, size: size)
        }
    }
}
