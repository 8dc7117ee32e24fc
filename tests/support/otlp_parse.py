"""Parses OTLP/HTTP JSON bodies with the official OpenTelemetry protobuf definitions.

Reads a JSON array of {"signal": "logs" | "metrics" | "traces", "body": "<request body>"} on stdin and
prints, for each, the parsed message as protobuf's canonical JSON (MessageToDict), or
{"error": "..."} when the body is not a valid ExportLogsServiceRequest /
ExportMetricsServiceRequest / ExportTraceServiceRequest. Unknown fields are errors.
"""

import json
import sys

from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

MESSAGES = {"logs": ExportLogsServiceRequest, "metrics": ExportMetricsServiceRequest, "traces": ExportTraceServiceRequest}

results = []
for item in json.load(sys.stdin):
    try:
        message = json_format.Parse(item["body"], MESSAGES[item["signal"]](), ignore_unknown_fields=False)
        results.append(json_format.MessageToDict(message))
    except (json_format.ParseError, KeyError, ValueError) as error:
        results.append({"error": str(error)})
json.dump(results, sys.stdout)
