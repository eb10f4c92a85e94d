"""Every request that returns personal data is a consultation: it needs a justification
and leaves an audit record (Data Protection Act 2018 s.62).

The justification is the ``X-Justification`` header (API clients), or the purpose a
browser session set for its line of enquiry (``/purpose``, sent with every request of
the session until changed). Without one: 428 with the reason for the API, the purpose
page for a browser. After the route has its answer it calls :meth:`Consultation.record`
with the entities the answer holds; the record names the user, role, agency, endpoint,
parameters, those entities and the justification.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Request

from graph_service.api.auth import SESSION_COOKIE, Principal, principal_of
from graph_service.schema import NODE_TYPES, PERSON_NAMESPACES

JUSTIFICATION_HEADER = "X-Justification"
MAX_JUSTIFICATION = 500
_NAMESPACES = sorted({*PERSON_NAMESPACES, *(n.namespace for n in NODE_TYPES)}, key=len, reverse=True)
# A node id: a namespace, ':', then up to 200 characters on one line (postcodes hold spaces).
_ENTITY = re.compile(r"(?:" + "|".join(map(re.escape, _NAMESPACES)) + r"):\S[^\n\r\t]{0,199}")


class PurposeNeeded(Exception):
    """A browser page asked for without a purpose: the purpose page is shown first."""

    def __init__(self, target: str) -> None:
        super().__init__("say the purpose of this line of enquiry first")
        self.target = target


def entity_ids_in(value: Any) -> list[str]:
    """Every node id held anywhere in a JSON-like answer, in order of first sight.

    Examples
    --------
    >>> entity_ids_in({"rows": [["prisoner:A1", 3], {"id": "postcode:SE1 7PB"}], "note": "x:y"})
    ['prisoner:A1', 'postcode:SE1 7PB']
    """
    seen: dict[str, None] = {}

    def walk(item: Any) -> Iterator[str]:
        if isinstance(item, str):
            if _ENTITY.fullmatch(item):
                yield item
        elif isinstance(item, dict):
            for v in item.values():
                yield from walk(v)
        elif isinstance(item, (list, tuple, set, frozenset)):
            for v in item:
                yield from walk(v)

    for found in walk(value):
        seen.setdefault(found, None)
    return list(seen)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text[:MAX_JUSTIFICATION] if text else None


@dataclass
class Consultation:
    """The consultation of one request: who, why, and (once known) what was returned."""

    request: Request
    principal: Principal
    justification: str
    recorded: bool = field(default=False)

    def record(self, entities: Any = (), *, params: dict[str, Any] | None = None) -> None:
        """Write the audit record (once); ``entities``: ids, or an answer holding them."""
        if self.recorded:
            return
        self.record_as("consultation", entities, params=params)

    def record_as(
        self,
        action: str,
        entities: Any = (),
        *,
        params: dict[str, Any] | None = None,
        recipients: list[str] | None = None,
    ) -> None:
        """Write an audit record of ``action`` (an alteration, combination or disclosure
        the request made, with the same justification; a disclosure names its recipients)."""
        request = self.request
        given: dict[str, Any] = dict(request.query_params)
        if request.path_params:
            given["path"] = dict(request.path_params)
        given.update(params or {})
        request.app.state.audit.append(
            username=self.principal.username,
            role=self.principal.role,
            agency=self.principal.agency,
            action=action,
            endpoint=f"{request.method} {request.url.path}",
            params=given,
            entity_ids=entity_ids_in(entities),
            justification=self.justification,
            recipients=recipients or [],
        )
        self.recorded = True


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def consultation(request: Request) -> Consultation:
    principal = getattr(request.state, "principal", None) or principal_of(request)
    request.app.state.rate_limits.check_queries(principal.username)
    header = _clean(request.headers.get(JUSTIFICATION_HEADER))
    purpose = None
    if header is None and principal.via == "session":
        found = request.app.state.sessions.find(request.cookies.get(SESSION_COOKIE))
        purpose = _clean(found.purpose) if found else None
    justification = header or purpose
    if justification is None:
        if _wants_page(request) and request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise PurposeNeeded(target)
        raise HTTPException(
            status_code=428,
            detail=(
                f"say why: send the {JUSTIFICATION_HEADER} header (for example 'Op ATLAS, development of "
                "A1234BC'); every consultation of personal data is recorded with its justification"
            ),
        )
    return Consultation(request, principal, justification)


def purpose_url(target: str) -> str:
    return "/purpose?" + urlencode({"next": target})


Consult = Annotated[Consultation, Depends(consultation)]
