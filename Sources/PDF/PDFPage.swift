/// One page being drawn. Coordinates are points from the TOP-LEFT corner, y growing downwards
/// (the writer flips them); text `y` is the baseline.
public struct PDFPage: Sendable {
    public let size: PDFPageSize
    enum Operation: Sendable {
        case text(String, x: Double, y: Double, font: PDFFont, size: Double, color: PDFColor)
        case line(x1: Double, y1: Double, x2: Double, y2: Double, width: Double, color: PDFColor)
        case rectangle(x: Double, y: Double, width: Double, height: Double, fill: PDFColor?, stroke: PDFColor?, lineWidth: Double)
        case image(PDFImage, x: Double, y: Double, width: Double, height: Double)
        case link(url: String, x: Double, y: Double, width: Double, height: Double)
    }
    var operations: [Operation] = []

    public init(size: PDFPageSize) {
        self.size = size
    }

    public mutating func text(_ string: String, x: Double, y: Double, font: PDFFont, size: Double, color: PDFColor = .black) {
        operations.append(.text(string, x: x, y: y, font: font, size: size, color: color))
    }

    public mutating func line(from: (x: Double, y: Double), to: (x: Double, y: Double), width: Double = 0.5, color: PDFColor = .black) {
        operations.append(.line(x1: from.x, y1: from.y, x2: to.x, y2: to.y, width: width, color: color))
    }

    public mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill: PDFColor? = nil, stroke: PDFColor? = nil,
                                   lineWidth: Double = 0.5) {
        operations.append(.rectangle(x: x, y: y, width: width, height: height, fill: fill, stroke: stroke, lineWidth: lineWidth))
    }

    public mutating func image(_ image: PDFImage, x: Double, y: Double, width: Double, height: Double) {
        operations.append(.image(image, x: x, y: y, width: width, height: height))
    }

    /// A clickable area opening `url`.
    public mutating func link(url: String, x: Double, y: Double, width: Double, height: Double) {
        operations.append(.link(url: url, x: x, y: y, width: width, height: height))
    }
}

/// What the document says about itself (Info dictionary and XMP metadata).
public struct PDFDocumentInfo: Sendable {
    public var title: String
    public var author: String
    public var subject: String
    public var creator: String
    public var producer: String
    /// Fixed by the caller so that the same input gives the same bytes.
    public var creationDate: Date

    public init(title: String, author: String, subject: String, creator: String, producer: String, creationDate: Date) {
        self.title = title
        self.author = author
        self.subject = subject
        self.creator = creator
        self.producer = producer
        self.creationDate = creationDate
    }
}

import Foundation
