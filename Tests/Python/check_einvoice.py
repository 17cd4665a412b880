"""Checks CII e-invoices with three independent validators from PyPI.

Usage: check_einvoice.py STYLESHEET FILE.xml [FILE.xml ...]

STYLESHEET is the official EN 16931 CII Schematron compiled to XSLT; every file goes through
(a) that stylesheet with saxonche (failed asserts counted by flag, with their ids and texts),
(b) the factur-x library's XSD check for the EN 16931 level and
(c) drafthorse, which parses the file and reads back number, grand total and currency.
Prints one JSON object per file, one per line, in the order given. The stylesheet is compiled
once, so one call checks any number of files quickly.
"""
import json
import sys

import facturx
from drafthorse.models.document import Document
from lxml import etree
from saxonche import PySaxonProcessor

SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def schematron(executable, path):
    svrl = executable.transform_to_string(source_file=path)
    failed = {"fatal": [], "warning": []}
    for node in etree.fromstring(svrl.encode("utf-8")).iter(SVRL + "failed-assert"):
        text = " ".join("".join(node.itertext()).split())
        failed.setdefault(node.get("flag", "fatal"), []).append({"id": node.get("id"), "text": text[:300]})
    return failed


def xsd(data):
    try:
        return {"valid": bool(facturx.xml_check_xsd(data, flavor="factur-x", level="en16931")), "error": None}
    except Exception as error:  # the library raises on an invalid file
        return {"valid": False, "error": str(error)[:500]}


def drafthorse(data):
    try:
        document = Document.parse(data)
        total = document.trade.settlement.monetary_summation.grand_total
        return {"parsed": True, "number": document.header.id._text, "grandTotal": str(total._amount),
                "currency": document.trade.settlement.currency_code._text, "error": None}
    except Exception as error:
        return {"parsed": False, "error": f"{type(error).__name__}: {error}"[:500]}


def main():
    stylesheet, paths = sys.argv[1], sys.argv[2:]
    with PySaxonProcessor(license=False) as processor:
        executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=stylesheet)
        for path in paths:
            with open(path, "rb") as handle:
                data = handle.read()
            failed = schematron(executable, path)
            result = {"file": path, "fatal": failed["fatal"], "warnings": failed["warning"], "xsd": xsd(data),
                      "drafthorse": drafthorse(data)}
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
