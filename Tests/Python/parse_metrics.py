"""Reads a Prometheus text scrape on stdin with prometheus_client's own parser and prints its
families as JSON: [{"name", "type", "help", "samples": [{"name", "labels", "value"}]}].
A scrape the parser refuses exits non-zero with the parser's message."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def value(number):
    return None if math.isnan(number) else ("+Inf" if number == math.inf else number)


families = [
    {
        "name": family.name,
        "type": family.type,
        "help": family.documentation,
        "samples": [{"name": s.name, "labels": s.labels, "value": value(s.value)} for s in family.samples],
    }
    for family in text_string_to_metric_families(sys.stdin.read())
]
json.dump(families, sys.stdout)
