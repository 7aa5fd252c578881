"""`kinerja serve`: the HTTP decision service, a thin layer over the public Python API.

    from kinerja.service import ServiceConfig, create_app
    app = create_app(ServiceConfig(rules=("my-rules",), decision_log="decisions.jsonl"))

Routes, request and answer shapes: README "Decision service" and `GET /openapi.json`.
"""

from kinerja.service.app import create_app
from kinerja.service.config import Limits, ServiceConfig
from kinerja.service.state import Service

__all__ = ["Limits", "Service", "ServiceConfig", "create_app"]
