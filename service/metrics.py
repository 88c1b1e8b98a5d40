"""Prometheus metrics; under gunicorn they are shared by the workers (multiprocess mode)."""
from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import CONTENT_TYPE_LATEST  # noqa: F401  (re-exported for the route)

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("claimlens_requests_total", "HTTP requests by route, method and status",
                   ["route", "method", "status"], registry=REGISTRY)
LATENCY = Histogram("claimlens_request_seconds", "Request latency by route", ["route"], registry=REGISTRY,
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
PREDICTIONS = Counter("claimlens_predictions_total", "Predicted labels", ["label"], registry=REGISTRY)
MODEL = Gauge("claimlens_model_info", "1 for the model version being served", ["version"], registry=REGISTRY,
              multiprocess_mode="livemax")


def on_swap(old, new) -> None:
    if old is not None:
        MODEL.labels(old.version).set(0)
    MODEL.labels(new.version).set(1)


def exposition() -> bytes:
    """All workers' figures when PROMETHEUS_MULTIPROC_DIR is set, else this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)
