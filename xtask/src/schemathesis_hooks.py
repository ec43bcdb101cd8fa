"""Schemathesis hooks for `cargo xtask openapi-corpus`.

Schemathesis bounds integers of format `int32` and `int64` by their widths. The corpus documents
written by Dropshot from Rust types also use the unsigned and narrow formats (`uint`, `uint8` to
`uint64`, `int8`, `int16`), which it does not know: it draws their integers without bound (a
`uint16` CPU count of 10^20) and a server built on those Rust types rightly refuses them. This hook
gives those formats their widths the same way, as `minimum` and `maximum`; a bound the document
declares that is tighter is kept. It reads the source document and changes nothing else.
"""

import schemathesis

WIDTHS = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
    "uint": (0, 2**64 - 1),
}


def _is_integer(node):
    kind = node.get("type")
    return kind == "integer" or (isinstance(kind, list) and "integer" in kind)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _bound(node):
    if isinstance(node, dict):
        # `format` may also be a property's name, whose value is a schema.
        format = node.get("format")
        width = WIDTHS.get(format) if isinstance(format, str) else None
        if width is not None and _is_integer(node):
            low, high = width
            if not _is_number(node.get("minimum")) or node["minimum"] < low:
                node["minimum"] = low
            if not _is_number(node.get("maximum")) or node["maximum"] > high:
                node["maximum"] = high
        for value in node.values():
            _bound(value)
    elif isinstance(node, list):
        for value in node:
            _bound(value)


@schemathesis.hook
def before_load_schema(context, raw_schema):
    _bound(raw_schema)
