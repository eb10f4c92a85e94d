"""Schemathesis over the app's own OpenAPI description, signed in as an admin (every
capability): whatever the generated paths, parameters and bodies, the answer is never
a server error, and every documented answer matches its response model. Requests go
to the real app (its lifespan running, over the sample store) through the test client."""

from __future__ import annotations

import tempfile

import pytest
import schemathesis
from conftest import sign_in
from hypothesis import HealthCheck, settings
from sample_graph import TEST_SECRET
from schemathesis.checks import not_a_server_error, response_schema_conformance

from graph_service.api.app import create_app
from graph_service.settings import load_settings

EXAMPLES = 25


def _description() -> dict:
    """The OpenAPI description (the app is only built, never started, for it)."""
    with tempfile.TemporaryDirectory() as folder:
        return create_app(load_settings(data_dir=folder, secret_key=TEST_SECRET)).openapi()


schema = schemathesis.openapi.from_dict(_description())


@pytest.fixture(scope="module")
def admin(client):
    return sign_in(client, "admin.police")


def _sendable(request: dict) -> dict:
    """A generated multipart part that is not text or bytes (a number) as its text: the
    HTTP client cannot send it otherwise, and a browser sends text."""
    files = request.get("files")
    if isinstance(files, dict):
        files = list(files.items())
    if files:
        parts = []
        for name, part in files:
            if isinstance(part, tuple):
                part = (part[0], _bytes(part[1]), *part[2:])
            else:
                part = _bytes(part)
            parts.append((name, part))
        request["files"] = parts
    return request


def _bytes(value: object) -> object:
    return value if isinstance(value, (str, bytes)) or hasattr(value, "read") else str(value).encode()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_no_server_errors_and_answers_match_their_models(case, client, admin):
    request = _sendable(case.as_transport_kwargs(base_url="http://testserver", headers=admin))
    response = client.request(**request)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
