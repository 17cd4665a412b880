/// The EN 16931 specification an e-invoice claims to follow (BT-24), with the business process
/// (BT-23) where the specification requires one.
public enum EInvoiceProfile: String, Sendable, Hashable, CaseIterable {
    /// EN 16931 itself: the Factur-X / ZUGFeRD "EN 16931" (Comfort) profile embedded in PDFs.
    case en16931
    /// The German CIUS for public buyers, version 3.0, as a standalone CII file.
    case xRechnung

    /// The specification identifier (BT-24).
    public var guidelineID: String {
        switch self {
        case .en16931: "urn:cen.eu:en16931:2017"
        case .xRechnung: "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
        }
    }

    /// The business process type (BT-23): XRechnung names the Peppol billing process, EN 16931 needs none.
    public var businessProcessID: String? {
        switch self {
        case .en16931: nil
        case .xRechnung: "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
        }
    }
}
