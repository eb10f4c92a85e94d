"""Page helpers shared by the routers: templates, URLs of node maps."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi.templating import Jinja2Templates

from graph_service.api.auth import allowed
from graph_service.schema import PERSON_ROLE_LABELS

API_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = API_DIR / "templates"
STATIC_DIR = API_DIR / "static"


def node_url(node_id: str, **query: object) -> str:
    """Path of the map page of a node (ids hold ':' and may hold spaces or '+')."""
    path = "/map/" + id_path(node_id)
    given = {k: v for k, v in query.items() if v not in (None, "", [])}
    return path + ("?" + urlencode(given, doseq=True) if given else "")


def id_path(node_id: str) -> str:
    """A node id as one path segment (ids hold ':' and may hold spaces or '+')."""
    return quote(str(node_id), safe=":@")


def role_names(labels: list[str] | tuple[str, ...]) -> list[str]:
    """The role labels of a person, in schema order (Person itself left out)."""
    return [label for label in PERSON_ROLE_LABELS if label in labels]


def make_templates(marking: str = "OFFICIAL-SENSITIVE") -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.globals["marking"] = marking
    templates.env.globals["node_url"] = node_url
    templates.env.globals["app_name"] = "marsoc"
    templates.env.globals["allowed"] = allowed
    templates.env.globals["id_path"] = id_path
    return templates
