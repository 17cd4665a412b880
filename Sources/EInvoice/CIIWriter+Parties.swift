import Billing
import BillportCore

/// The header's agreement (who sells to whom) and delivery (where and when).
extension CIIDocumentWriter {
    mutating func writeAgreement() {
        xml.open("ram:ApplicableHeaderTradeAgreement")
        if let reference = document.buyerReference { xml.element("ram:BuyerReference", reference) }
        xml.open("ram:SellerTradeParty")
        writeSeller(document.seller)
        xml.close("ram:SellerTradeParty")
        xml.open("ram:BuyerTradeParty")
        writeBuyer(document.buyer)
        xml.close("ram:BuyerTradeParty")
        xml.close("ram:ApplicableHeaderTradeAgreement")
    }

    /// The buyer's address as the deliver-to country where intra-community supply needs one
    /// (BR-IC-12), and the supply date as the actual delivery date (BT-72).
    mutating func writeDelivery() {
        xml.open("ram:ApplicableHeaderTradeDelivery")
        if document.totals.taxes.contains(where: { $0.category == .intraCommunity }), let address = document.buyer.address {
            xml.open("ram:ShipToTradeParty")
            xml.element("ram:Name", document.buyer.name)
            postalAddress(address)
            xml.close("ram:ShipToTradeParty")
        }
        if case .date(let day)? = document.supply {
            xml.open("ram:ActualDeliverySupplyChainEvent")
            dateTime("ram:OccurrenceDateTime", day)
            xml.close("ram:ActualDeliverySupplyChainEvent")
        }
        xml.close("ram:ApplicableHeaderTradeDelivery")
    }

    /// Whether the seller's VAT id is written (BT-31): not on an invoice outside the scope of VAT.
    var writesSellerVATID: Bool { document.seller.vatID != nil && !omitsVATIdentifiers }

    private mutating func writeSeller(_ seller: InvoiceDocument.Party) {
        // BR-CO-26 wants the seller identified by an identifier, a legal registration or a VAT id;
        // a seller with only a national tax number is identified by it (BT-29).
        if !writesSellerVATID, seller.registration == nil, let taxNumber = seller.taxNumber {
            xml.element("ram:ID", taxNumber)
        }
        xml.element("ram:Name", seller.name)
        if let registration = seller.registration { xml.element("ram:SpecifiedLegalOrganization", "ram:ID", registration) }
        if seller.contactName != nil || seller.phone != nil || seller.email != nil {
            xml.open("ram:DefinedTradeContact")
            if let name = seller.contactName { xml.element("ram:PersonName", name) }
            if let phone = seller.phone { xml.element("ram:TelephoneUniversalCommunication", "ram:CompleteNumber", phone) }
            if let email = seller.email { xml.element("ram:EmailURIUniversalCommunication", "ram:URIID", email) }
            xml.close("ram:DefinedTradeContact")
        }
        if let address = seller.address { postalAddress(address) }
        if let email = seller.email { electronicAddress(email) }
        if writesSellerVATID, let vatID = seller.vatID { taxRegistration(vatID.value, scheme: "VA") }
        if let taxNumber = seller.taxNumber { taxRegistration(taxNumber, scheme: "FC") }
    }

    private mutating func writeBuyer(_ buyer: InvoiceDocument.Party) {
        xml.element("ram:Name", buyer.name)
        if let address = buyer.address { postalAddress(address) }
        if let email = buyer.email { electronicAddress(email) }
        if !omitsVATIdentifiers, let vatID = buyer.vatID { taxRegistration(vatID.value, scheme: "VA") }
    }

    private mutating func postalAddress(_ address: PostalAddress) {
        xml.open("ram:PostalTradeAddress")
        if let postalCode = address.postalCode { xml.element("ram:PostcodeCode", postalCode) }
        for (index, line) in address.lines.prefix(3).enumerated() {
            switch index {
            case 0: xml.element("ram:LineOne", line)
            case 1: xml.element("ram:LineTwo", line)
            default: xml.element("ram:LineThree", line)
            }
        }
        xml.element("ram:CityName", address.city)
        xml.element("ram:CountryID", address.country.code)
        xml.close("ram:PostalTradeAddress")
    }

    /// The party's electronic address (BT-34, BT-49): its email, scheme `EM`.
    private mutating func electronicAddress(_ email: String) {
        xml.open("ram:URIUniversalCommunication")
        xml.element("ram:URIID", attribute: "schemeID", value: "EM", email)
        xml.close("ram:URIUniversalCommunication")
    }

    private mutating func taxRegistration(_ id: String, scheme: StaticString) {
        xml.open("ram:SpecifiedTaxRegistration")
        xml.element("ram:ID", attribute: "schemeID", value: "\(scheme)", id)
        xml.close("ram:SpecifiedTaxRegistration")
    }
}
