#!/usr/bin/python3
"""Parses an .eml file with Python's `email` package (a real, independent MIME parser) and
prints what Billport's mail tests check, as JSON:

  headers      [[name, decoded value], ...] in order (RFC 2047 decoded, unfolded)
  addresses    {"from"|"to"|"cc"|"reply-to": [{"name", "address"}]} (names RFC 2047 decoded)
  structure    e.g. "multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf)"
  parts        leaf parts in order: content_type, charset, encoding, filename, disposition,
               text (text parts, decoded) or sha256 and size (others), name (Content-Type name=)
  defects      every defect the parser noticed, on any header or part (should be empty)
"""
import hashlib
import json
import sys
from email import policy, utils
from email.header import decode_header, make_header
from email.parser import BytesParser


def structure(part):
    if part.is_multipart():
        return part.get_content_type() + "(" + ",".join(structure(p) for p in part.iter_parts()) + ")"
    return part.get_content_type()


def legacy_name(part):
    """Content-Type's name= (RFC 2047 words inside the quotes, as Outlook reads it), decoded."""
    value = part.get_param("name")
    if value is None:
        return None
    return str(make_header(decode_header(utils.collapse_rfc2231_value(value))))


def main():
    with open(sys.argv[1], "rb") as file:
        data = file.read()
    message = BytesParser(policy=policy.default).parsebytes(data)
    raw_message = BytesParser(policy=policy.compat32).parsebytes(data)
    defects = [type(d).__name__ + ": " + str(d) for d in message.defects]
    headers = []
    for name, value in message.items():
        headers.append([name, str(value)])
        defects += [f"{name}: {type(d).__name__}: {d}" for d in getattr(value, "defects", [])]
    # Display names are decoded with the legacy API: Python 3.11's policy.default phrase parser
    # keeps the whitespace between adjacent encoded words (RFC 2047 §6.2 says to drop it), and
    # so mangles long names, its own output included.
    addresses = {}
    for field in ("from", "to", "cc", "reply-to"):
        raw = raw_message.get_all(field)
        if raw:
            addresses[field] = [{"name": str(make_header(decode_header(name))), "address": address}
                                for name, address in utils.getaddresses(raw)]
    parts = []
    for part in message.walk():
        if part is not message:
            defects += [f"part {part.get_content_type()}: {type(d).__name__}: {d}" for d in part.defects]
        if part.is_multipart():
            continue
        entry = {
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "encoding": part.get("Content-Transfer-Encoding"),
            "filename": part.get_filename(),
            "disposition": part.get_content_disposition(),
            "name": legacy_name(part),
        }
        if part.get_content_maintype() == "text":
            # Text travels with CRLF line breaks (RFC 2046 §4.1.1); report it with \n.
            entry["text"] = part.get_content().replace("\r\n", "\n")
        else:
            payload = part.get_payload(decode=True)
            entry["sha256"] = hashlib.sha256(payload).hexdigest()
            entry["size"] = len(payload)
        parts.append(entry)
    json.dump({"headers": headers, "addresses": addresses, "structure": structure(message),
               "parts": parts, "defects": defects}, sys.stdout)


if __name__ == "__main__":
    main()
