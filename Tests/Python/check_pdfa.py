"""Reads a PDF with pikepdf (and the factur-x library when the PDF carries factur-x.xml) and
prints what the PDF/A-3 and Factur-X tests assert, as one JSON object.

Usage: check_pdfa.py PDF [XML_TO_CHECK_AGAINST_THE_XSD]
"""
import base64
import io
import json
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
    if "factur-x.xml" in result["attachments"]:
        result["facturx"] = facturx_check(data, xsd_xml)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
