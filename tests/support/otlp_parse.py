"""Parses OTLP/HTTP JSON bodies with the official OpenTelemetry protobuf definitions.

Reads a JSON array of {"signal": "logs" | "metrics" | "traces", "body": "<request body>"} on stdin and
prints, for each, the parsed message as protobuf's canonical JSON (MessageToDict), or
{"error": "..."} when the body is not a valid ExportLogsServiceRequest /
ExportMetricsServiceRequest / ExportTraceServiceRequest. Unknown fields are errors, and so are
trace and span ids that are not 16 and 8 bytes of lower-case hex.
"""

import base64
import json
import sys

from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

MESSAGES = {"logs": ExportLogsServiceRequest, "metrics": ExportMetricsServiceRequest, "traces": ExportTraceServiceRequest}

# OTLP/JSON writes these ids as hex, where proto3's JSON mapping of bytes is base64; protobuf
# would read a 32-digit hex string as base64 (24 wrong bytes) without complaint. They are turned
# into bytes first, as the OpenTelemetry Collector does, their lengths checked, and written back
# as hex after parsing.
ID_BYTES = {"traceId": 16, "spanId": 8, "parentSpanId": 8}


def ids(value, convert):
    if isinstance(value, dict):
        return {k: convert(k, v) if k in ID_BYTES and isinstance(v, str) else ids(v, convert) for k, v in value.items()}
    if isinstance(value, list):
        return [ids(v, convert) for v in value]
    return value


def hex_to_base64(key, text):
    raw = bytes.fromhex(text) if text else b""
    if text and (len(raw) != ID_BYTES[key] or text != text.lower()):
        raise ValueError(f"{key} {text!r} is not {ID_BYTES[key]} bytes of lower-case hex")
    return base64.b64encode(raw).decode()


def base64_to_hex(key, text):
    return base64.b64decode(text).hex()


results = []
for item in json.load(sys.stdin):
    try:
        body = json.dumps(ids(json.loads(item["body"]), hex_to_base64))
        message = json_format.Parse(body, MESSAGES[item["signal"]](), ignore_unknown_fields=False)
        results.append(ids(json_format.MessageToDict(message), base64_to_hex))
    except (json_format.ParseError, KeyError, ValueError) as error:
        results.append({"error": str(error)})
json.dump(results, sys.stdout)
