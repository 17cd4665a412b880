"""Reads a PDF with pikepdf (and the factur-x library when the PDF carries factur-x.xml) and
prints what the PDF/A-3 and Factur-X tests assert, as one JSON object.

Usage: check_pdfa.py PDF [XML_TO_CHECK_AGAINST_THE_XSD]
"""
import base64
import io
import json
import re
import sys

import pikepdf

FX = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"


def name(value):
    return str(value).lstrip("/") if value is not None else None


def metadata(pdf):
    meta = pdf.open_metadata()
    out = {
        "part": meta.get("pdfaid:part"),
        "conformance": meta.get("pdfaid:conformance"),
        "title": meta.get("dc:title"),
        "producer": meta.get("pdf:Producer"),
        "createDate": meta.get("xmp:CreateDate"),
        "metadataDate": meta.get("xmp:MetadataDate"),
        "fx": {key: meta.get("{%s}%s" % (FX, key)) for key in ("DocumentType", "DocumentFileName", "Version", "ConformanceLevel")},
    }
    raw = pdf.Root.Metadata.read_raw_bytes().decode("utf-8")
    out["extensionSchemaDescribesFx"] = "<pdfaSchema:namespaceURI>%s</pdfaSchema:namespaceURI>" % FX in raw
    out["metadataFiltered"] = "/Filter" in pdf.Root.Metadata.stream_dict
    return out


def icc(profile_bytes):
    header = profile_bytes[:128]
    out = {
        "size": int.from_bytes(header[0:4], "big"),
        "length": len(profile_bytes),
        "class": header[12:16].decode("latin-1"),
        "space": header[16:20].decode("latin-1"),
        "pcs": header[20:24].decode("latin-1"),
        "signature": header[36:40].decode("latin-1"),
        "version": header[8],
    }
    try:
        from PIL import Image, ImageCms
    except ImportError:
        return out
    profile = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes))
    out["description"] = ImageCms.getProfileDescription(profile).strip()
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (31, 111, 235), (128, 128, 128), (250, 240, 230), (0, 0, 0), (255, 255, 255)]
    image = Image.new("RGB", (len(colours), 1))
    image.putdata(colours)
    transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), profile, "RGB", "RGB", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    converted = ImageCms.applyTransform(image, transform).tobytes()
    out["maxChannelDifference"] = max(abs(a - b) for a, b in zip(image.tobytes(), converted))
    return out


def facturx_check(data, xsd_xml):
    try:
        import facturx
        from lxml import etree
    except ImportError:
        return None
    filename, xml = facturx.get_facturx_xml_from_pdf(data, check_xsd=False)
    root = etree.fromstring(xml)
    out = {
        "filename": filename,
        "xmlBase64": base64.b64encode(xml).decode("ascii"),
        "flavor": facturx.get_flavor(root),
        "level": facturx.get_level(root),
    }
    if xsd_xml is not None:
        try:
            out["xsdValid"] = bool(facturx.xml_check_xsd(xsd_xml, flavor="factur-x", level="en16931"))
        except Exception as error:  # the library raises on the first XSD error
            out["xsdValid"] = False
            out["xsdError"] = str(error)[:500]
    return out


PREDEFINED_NAMESPACES = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "adobe:ns:meta/", "http://www.w3.org/XML/1998/namespace",
    "http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/xap/1.0/", "http://ns.adobe.com/pdf/1.3/",
    "http://www.aiim.org/pdfa/ns/id/", "http://www.aiim.org/pdfa/ns/extension/", "http://www.aiim.org/pdfa/ns/schema#",
    "http://www.aiim.org/pdfa/ns/property#", "http://ns.adobe.com/xap/1.0/mm/", "http://ns.adobe.com/xap/1.0/rights/",
}


def pdf_date_to_xmp(text):
    """D:YYYYMMDDHHmmSSZ -> YYYY-MM-DDTHH:mm:SSZ (the only form Billport writes)."""
    t = str(text)[2:]
    return "%s-%s-%sT%s:%s:%s%s" % (t[0:4], t[4:6], t[6:8], t[8:10], t[10:12], t[12:14], t[14:] or "")


def violations(pdf, data):
    """A subset of ISO 19005-3 (PDF/A-3b) rules that concern what Billport writes; not a full validator."""
    found = []
    if not (data.startswith(b"%PDF-1.") and data[9:10] == b"%" and all(b > 127 for b in data[10:14])):
        found.append("6.1.2 header without a binary comment line")
    if "/ID" not in pdf.trailer or "/Encrypt" in pdf.trailer:
        found.append("6.1.3 trailer needs /ID and no /Encrypt")
    meta = pdf.open_metadata()
    raw = pdf.Root.Metadata.read_raw_bytes().decode("utf-8")
    header = raw.split("?>", 1)[0]
    if "bytes=" in header or "encoding=" in header:
        found.append("6.6.2.1 xpacket header with bytes/encoding")
    if "/Filter" in pdf.Root.Metadata.stream_dict:
        found.append("6.6.2.1 metadata stream is filtered")
    info = pdf.docinfo
    pairs = [("/Title", "dc:title"), ("/Subject", "dc:description"), ("/Creator", "xmp:CreatorTool"), ("/Producer", "pdf:Producer")]
    for key, prop in pairs:
        if key in info and str(info[key]) != str(meta.get(prop)):
            found.append("6.6.3 Info %s differs from %s" % (key, prop))
    if "/Author" in info:
        creators = meta.get("dc:creator")
        if not creators or list(creators) != [str(info["/Author"])]:
            found.append("6.6.3 Info /Author differs from dc:creator")
    for key, prop in [("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")]:
        if key in info and pdf_date_to_xmp(info[key]) != meta.get(prop):
            found.append("6.6.3 Info %s differs from %s" % (key, prop))
    described = set(re.findall(r"<pdfaSchema:namespaceURI>([^<]*)</pdfaSchema:namespaceURI>", raw))
    for uri in set(re.findall(r'xmlns:[A-Za-z0-9]+="([^"]*)"', raw)) - PREDEFINED_NAMESPACES - described:
        found.append("6.6.2.3 XMP namespace %s has no extension schema" % uri)
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFA1"]
    if len(intents) != 1 or int(intents[0].DestOutputProfile.N) != 3:
        found.append("6.2.3 one GTS_PDFA1 output intent with an RGB profile")
    af = [spec.objgen for spec in pdf.Root.get("/AF", [])]
    for key, spec in pdf.attachments.items():
        obj = spec.obj
        if not all(k in obj for k in ("/F", "/UF", "/AFRelationship")):
            found.append("6.8 file specification %s lacks /F, /UF or /AFRelationship" % key)
        if "/Subtype" not in obj.EF.F or "/ModDate" not in obj.EF.F.get("/Params", {}):
            found.append("6.8 embedded file %s lacks /Subtype or /Params /ModDate" % key)
        if obj.objgen not in af:
            found.append("6.8 embedded file %s is not in an /AF array" % key)
    for obj in pdf.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        filters = obj.get("/Filter")
        names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)] if filters is not None else []
        if "/LZWDecode" in names:
            found.append("6.1.7 LZW filter")
        if obj.get("/Subtype") == "/Image":
            if obj.get("/Interpolate") is True:
                found.append("6.2.8 image with /Interpolate true")
            if obj.get("/ColorSpace") == "/DeviceCMYK":
                found.append("6.2.4.3 DeviceCMYK image under an RGB output intent")
        if obj.get("/Type") == "/Annot":
            flags = int(obj.get("/F", 0))
            if not flags & 4 or flags & (1 | 2 | 32):
                found.append("6.3.2 annotation without the print flag or hidden")
        if obj.get("/Type") == "/FontDescriptor" and not any(k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            found.append("6.2.11.4 font %s not embedded" % obj.get("/FontName"))
    return found


def main():
    data = open(sys.argv[1], "rb").read()
    xsd_xml = open(sys.argv[2], "rb").read() if len(sys.argv) > 2 else None
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    result = {"metadata": metadata(pdf), "attachments": {}, "af": [], "outputIntents": [], "annotationFlags": []}
    for key, spec in pdf.attachments.items():
        result["attachments"][key] = {
            "relationship": name(spec.obj.get("/AFRelationship")),
            "subtype": name(spec.obj.EF.F.get("/Subtype")),
            "hasModDate": "/ModDate" in spec.obj.EF.F.get("/Params", {}),
            "size": int(spec.obj.EF.F.Params.Size) if "/Params" in spec.obj.EF.F else None,
            "description": str(spec.obj.get("/Desc", "")),
        }
    for spec in root.get("/AF", []):
        result["af"].append(str(spec.UF))
    for intent in root.get("/OutputIntents", []):
        profile = intent.DestOutputProfile
        result["outputIntents"].append({
            "subtype": name(intent.S),
            "condition": str(intent.OutputConditionIdentifier),
            "n": int(profile.N),
            "icc": icc(profile.read_bytes()),
        })
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            result["annotationFlags"].append(int(annotation.get("/F", 0)))
    result["encrypted"] = pdf.is_encrypted
    result["hasID"] = "/ID" in pdf.trailer
    result["pdfaStatus"] = pdf.open_metadata().pdfa_status
    result["violations"] = violations(pdf, data)
    if "factur-x.xml" in result["attachments"]:
        result["facturx"] = facturx_check(data, xsd_xml)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
