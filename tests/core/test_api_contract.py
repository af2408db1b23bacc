"""The OpenAPI document tells the truth about every endpoint (issue 16): each schema name belongs to one
class, the body and the response of every operation are described by the very classes the endpoint
validates with, and every write that may change an existing record requires its lock."""

from __future__ import annotations

import importlib
from collections import defaultdict
from typing import Any

import pytest
from pydantic import BaseModel

from friendlygov.api import api

AREAS = [
    "assessments",
    "documents",
    "dossiers",
    "feedback",
    "operations",
    "org",
    "plans",
    "signatures",
    "submissions",
    "surveys",
]
REF = "#/components/schemas/{model}"

# Writes that take no lock, and why: they only create, change nothing, or are one-way steps the service
# refuses a second time (so nobody's change can be overwritten).
UNLOCKED_WRITES = {
    "POST /api/org/units/{slug}/bodies": "creates",
    "POST /api/plans/units/{slug}/plans": "creates",
    "POST /api/plans/plans/{plan_id}/appendix/preview": "saves nothing",
    "POST /api/plans/occurrences/{occurrence_id}/evidence": "adds a file",
    "POST /api/plans/units/{slug}/obstacles": "creates",
    "POST /api/assessments/cities/{slug}/criteria-sets": "creates",
    "POST /api/assessments/cities/{slug}/cycles": "creates (units that have the year's cycle are skipped)",
    "POST /api/assessments/units/{slug}/cycles/{year}/criteria/{code}/evidence": "adds a file",
    "POST /api/assessments/units/{slug}/cycles/{year}/criteria/{code}/evidence/{link_id}/scan": (
        "one-way: the scan of paper-only proof, refused once the row has a file"
    ),
    "POST /api/assessments/units/{slug}/cycles/{year}/proposals": "creates",
    "POST /api/assessments/units/{slug}/cycles/{year}/recognition": "one-way: refused once recognised",
    "POST /api/assessments/units/{slug}/cycles/{year}/what-if": "saves nothing",
    "POST /api/surveys/public/{token}/responses": "creates",
    "POST /api/surveys/units/{slug}/responses": "creates",
    "POST /api/feedback/public/{slug}/submit": "creates",
    "POST /api/feedback/public/track/{code}/rate": "one-way: once per answer",
    "POST /api/feedback/public/track/{code}/reopen": "one-way: once",
    "POST /api/feedback/units/{slug}/record": "creates",
    "POST /api/dossiers/units/{slug}/import": "the procedure system's export is the source of truth",
    "POST /api/submissions/units/{slug}/packages": "creates (each sending gets the city's next receipt number)",
    "POST /api/operations/units/{slug}/activities": "creates",
    "POST /api/operations/units/{slug}/budget-lines": "creates",
    "POST /api/operations/budget-lines/{line_id}/spendings": "creates",
    "POST /api/operations/units/{slug}/nominations": "creates",
    "POST /api/operations/units/{slug}/reviews": "creates (an open review is refused)",
    "POST /api/operations/units/{slug}/conferences": "creates",
    "POST /api/operations/units/{slug}/signature-requests": "creates",
    "POST /api/documents/units/{slug}/issued": "creates (a taken number is refused)",
    "POST /api/documents/units/{slug}/drafts": "saves nothing",
    "POST /api/signatures/trust-roots": "creates (a root installed twice is refused)",
    "DELETE /api/signatures/trust-roots/{pk}": "one-way: removes",
    "PUT /api/signatures/units/{slug}/settings": "idempotent: the four switches replaced together",
    "POST /api/signatures/documents/{pk}/sign": "creates a signature record",
    "POST /api/signatures/documents/{pk}/signed": "creates a signature record (refused unless the same document)",
    "POST /api/signatures/signatures/{pk}/verify": "re-checks the kept file; no input",
}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()


def _schema_classes() -> list[type[BaseModel]]:
    for area in AREAS:
        importlib.import_module(f"friendlygov.{area}.api")
    found: list[type[BaseModel]] = []
    pending: list[type[BaseModel]] = [BaseModel]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("friendlygov."):
                found.append(sub)
    return found


def test_no_two_schema_classes_share_a_name() -> None:
    """The document names each schema by its class name: two classes of one name describe one body."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _schema_classes():
        by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(paths) for name, paths in by_name.items() if len(paths) > 1}
    assert not shared, f"schema names used by several classes: {shared}"


def _operations() -> list[tuple[str, str, Any]]:
    found = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                if not operation.include_in_schema:
                    continue
                for method in operation.methods:
                    found.append((method.lower(), f"/api{prefix}{path}", operation))
    return found


def _plain(schema: Any) -> Any:
    """A schema without the defaults of optional fields, which the document leaves out."""
    if isinstance(schema, dict):
        return {k: _plain(v) for k, v in schema.items() if not (k == "default" and v is None)}
    if isinstance(schema, list):
        return [_plain(v) for v in schema]
    return schema


def _expect(document: dict[str, Any], model: type[BaseModel], mode: str, where: str) -> None:
    """The component named after ``model`` (and those it refers to) is ``model``'s own schema."""
    schema = model.model_json_schema(ref_template=REF, mode=mode)  # type: ignore[arg-type]
    definitions = schema.pop("$defs", {})
    components = document["components"]["schemas"]
    described = _plain(components.get(model.__name__))
    assert described == _plain(schema), f"{where}: {model.__name__} is described wrong"
    for name, definition in definitions.items():
        assert _plain(components.get(name)) == _plain(definition), f"{where}: {name} is described wrong"


def test_every_body_and_response_is_described_by_its_own_class(document: dict[str, Any]) -> None:
    checked = 0
    for method, path, operation in _operations():
        where = f"{method.upper()} {path}"
        documented = document["paths"][path][method]
        for model in operation.models:
            if model.__ninja_param_source__ != "body":
                continue
            (field,) = model.model_fields.values()
            body = field.annotation
            assert isinstance(body, type) and issubclass(body, BaseModel), where
            ref = documented["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert ref == REF.format(model=body.__name__), where
            _expect(document, body, "validation", where)
            checked += 1
        for status, response in operation.response_models.items():
            if not hasattr(response, "model_fields"):  # a file (no schema)
                continue
            declared = response.model_fields["response"].annotation
            for candidate in (declared, *getattr(declared, "__args__", ())):
                if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                    assert str(status) in {str(s) for s in documented["responses"]}, where
                    _expect(document, candidate, "serialization", where)
                    checked += 1
    assert checked > 100


def test_every_write_that_may_change_a_record_requires_its_lock(document: dict[str, Any]) -> None:
    components = document["components"]["schemas"]
    missing = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            key = f"{method.upper()} {path}"
            if method == "get" or key in UNLOCKED_WRITES:
                continue
            content = operation.get("requestBody", {}).get("content", {})
            schema = next(iter(content.values()))["schema"] if content else {}
            schema = components[schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema
            required = set(schema.get("required", []))
            if required & {"expected_version", "expected_status"}:
                continue
            nested = [  # a batch: each item carries its lock (forwarding obstacles)
                components[p["items"]["$ref"].rsplit("/", 1)[-1]]
                for name, p in schema.get("properties", {}).items()
                if name in required and "$ref" in p.get("items", {})
            ]
            if any("expected_version" in n.get("required", []) for n in nested):
                continue
            missing.append(key)
    assert not missing, f"writes without a required lock: {missing}"
    assert set(UNLOCKED_WRITES) <= {f"{m.upper()} {p}" for p, ms in document["paths"].items() for m in ms}


def test_every_operation_documents_its_errors(document: dict[str, Any]) -> None:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            codes = {str(c) for c in operation["responses"]}
            if operation.get("security"):
                assert {"401", "403"} <= codes, f"{method} {path}"
            if "{" in path:
                assert {"404", "422"} <= codes, f"{method} {path}"


def test_years_outside_the_programme_are_refused(world: Any, client: Any) -> None:
    """Year 1770 gave a timestamp with a +07:06:30 offset, which is no RFC 3339 date-time (found by the
    fuzz run's response_schema_conformance check)."""
    from friendlygov.org import services as org_services

    token = org_services.create_api_token(actor=world.coordinator, name="thử")
    for url in ("/api/dossiers/units/thanh-mien/figures", "/api/feedback/units/thanh-mien/figures"):
        for year, status in (("1770", 422), ("2101", 422), ("2026", 200)):
            response = client.get(f"{url}?year={year}", HTTP_AUTHORIZATION=f"Bearer {token}")
            assert response.status_code == status, (url, year)


# The years that reached a date or a ``__year`` lookup unchecked: year 0 or 10**20 raised ValueError or
# OverflowError deep in Django, which the API's catch-all ValueError handler turned into a 422. With that
# handler gone (issue 17), the year is checked where the request is parsed (``kit.params.Year``).
YEAR_URLS = [
    "/api/feedback/units/thanh-mien/items?year={year}",
    "/api/operations/units/thanh-mien/activities?year={year}",
    "/api/operations/units/thanh-mien/conferences?year={year}",
    "/api/operations/units/thanh-mien/spendings?year={year}",
    "/api/operations/units/thanh-mien/good-practices?year={year}",
    "/api/operations/units/thanh-mien/results/{year}",
    "/api/operations/units/thanh-mien/communication/{year}",
    "/api/operations/units/thanh-mien/villages/{year}",
    "/api/operations/units/thanh-mien/budget/{year}",
    "/api/operations/units/thanh-mien/shortfalls/{year}",
    "/api/documents/units/thanh-mien/issued?year={year}",
    "/api/documents/units/thanh-mien/next-number?year={year}",
]


def test_unreadable_years_are_the_callers_422(world: Any, client: Any) -> None:
    from friendlygov.org import services as org_services

    token = org_services.create_api_token(actor=world.coordinator, name="thử")
    for template in YEAR_URLS:
        for year in ("0", "-37945", str(10**20), "9223372036854775808"):
            url = template.format(year=year)
            response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
            assert response.status_code == 422, url
            assert "«year»" in response.json()["detail"][0]["msg"], url
        url = template.format(year=2026)
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200, url


def _untyped(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """A response body the document does not describe: no schema, or an object without its fields."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get("type") == "array":
        return _untyped(schema.get("items", {}), components)
    if schema.get("type") == "object" or "additionalProperties" in schema:
        return not schema.get("properties")
    return not (schema.get("type") or schema.get("anyOf") or schema.get("allOf"))


def test_every_success_answer_has_a_typed_schema(document: dict[str, Any]) -> None:
    """A 200 or 201 answer is described by a schema with its fields (a JSON body) or by its media type
    with a binary body (a file): never a bare ``object`` (issue 17: about fifteen endpoints answered a
    hand-built dict the document could not describe)."""
    components = document["components"]["schemas"]
    untyped = []
    checked = 0
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for status in ("200", "201"):
                response = {str(k): v for k, v in operation["responses"].items()}.get(status)
                if response is None:
                    continue
                content = response.get("content") or {}
                checked += 1
                if not content or any(_untyped(c.get("schema") or {}, components) for c in content.values()):
                    untyped.append(f"{method.upper()} {path} {status}")
    assert checked > 100
    assert not untyped, f"answers without a typed schema: {untyped}"


def test_an_untyped_answer_is_caught() -> None:
    """The check above does see the shapes it must refuse."""
    components = {"Free": {"type": "object", "additionalProperties": True}}
    assert _untyped({}, components)
    assert _untyped({"type": "object", "additionalProperties": True}, components)
    assert _untyped({"type": "array", "items": {"$ref": "#/components/schemas/Free"}}, components)
    assert not _untyped({"type": "string", "format": "binary"}, components)
