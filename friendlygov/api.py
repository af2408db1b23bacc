"""The JSON API (OpenAPI at /api/openapi.json). Each area adds its router here; endpoints parse input,
call the same domain functions as the pages, and use the same access checks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from friendlygov.assessments.api import router as assessments_router
from friendlygov.assessments.dashboard_api import router as dashboard_router
from friendlygov.documents.api import router as documents_router
from friendlygov.dossiers.api import router as dossiers_router
from friendlygov.feedback.api import router as feedback_router
from friendlygov.operations.api import router as operations_router
from friendlygov.org.api import router as org_router
from friendlygov.org.models import ApiToken
from friendlygov.plans.api import router as plans_router
from friendlygov.signatures.api import router as signatures_router
from friendlygov.submissions.api import router as submissions_router
from friendlygov.surveys.api import router as surveys_router


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=ApiToken.hash(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionAuth(APIKeyHeader):
    """Logged-in browser sessions (the pages' HTMX calls) use the API too; CSRF is checked by ninja."""

    param_name = "X-Session"

    def __call__(self, request: HttpRequest) -> Any:
        return django_auth(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover - unused
        return None


class UnicodeJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Vietnamese messages readable as they are


ERROR_SCHEMA: dict[str, Any] = {
    "title": "ErrorOut",
    "type": "object",
    "properties": {"detail": {"title": "Detail", "description": "Thông báo lỗi (theo trường khi có)."}},
    "required": ["detail"],
}
ERRORS = {
    400: "Nội dung yêu cầu không đọc được (JSON hoặc multipart hỏng).",
    401: "Chưa xác thực (thiếu hoặc sai token).",
    403: "Không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy, hoặc không có quyền xem đơn vị.",
    422: "Dữ liệu không hợp lệ hoặc vi phạm quy tắc nghiệp vụ; ``detail`` nêu trường có lỗi.",
}


class FriendlygovAPI(NinjaAPI):
    """The API whose document also lists the errors every endpoint may answer, with their body."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = ERROR_SCHEMA
        for path, methods in schema["paths"].items():
            for operation in methods.values():
                # 422 on every operation: the NUL guard (core.middleware) refuses any request holding one
                codes = (
                    [404, 422]
                    if "{" in path or operation.get("parameters") or "requestBody" in operation
                    else [422]
                )
                if operation.get("security"):
                    codes += [401, 403]
                if "requestBody" in operation:
                    codes.append(400)
                if any(p.get("in") == "query" for p in operation.get("parameters", [])):
                    # the server (gunicorn) refuses a request line over 4 KB before the app sees it
                    operation["responses"].setdefault(
                        414, {"description": "Địa chỉ yêu cầu quá dài (URI Too Long)."}
                    )
                for code in sorted(codes):
                    operation["responses"].setdefault(
                        code,
                        {
                            "description": ERRORS[code],
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
                            },
                        },
                    )
        return schema


api = FriendlygovAPI(
    renderer=UnicodeJSONRenderer(),
    title="Friendlygov API",
    version="1",
    description="API của hệ thống Chính quyền thân thiện. Xác thực: `Authorization: Bearer <token>`.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """The caller's errors are explicit: a ValidationError (a service's rule, or an endpoint's own parsing)
    or a schema error (bounded types such as ``kit.params.Year``). A bare ValueError or OverflowError is a
    bug and stays a 500 — a handler that made every ValueError a 422 once hid one (issue 17)."""
    detail: Any = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    return api.create_response(request, {"detail": detail}, status=422)


# The request checks of the schemas (pydantic) in Vietnamese, naming the field; ``loc`` and ``type`` stay
# as pydantic gives them for programs.
_SCHEMA_MESSAGES: dict[str, str] = {
    "missing": "Thiếu trường «{field}».",
    "greater_than_equal": "«{field}» phải từ {ge} trở lên.",
    "greater_than": "«{field}» phải lớn hơn {gt}.",
    "less_than_equal": "«{field}» tối đa là {le}.",
    "less_than": "«{field}» phải nhỏ hơn {lt}.",
    "int_parsing": "«{field}» phải là số nguyên.",
    "int_type": "«{field}» phải là số nguyên.",
    "int_from_float": "«{field}» phải là số nguyên.",
    "float_parsing": "«{field}» phải là số (dấu chấm thập phân trong JSON).",
    "decimal_parsing": "«{field}» phải là số (dấu chấm thập phân trong JSON).",
    "bool_parsing": "«{field}» phải là true hoặc false.",
    "bool_type": "«{field}» phải là true hoặc false.",
    "string_type": "«{field}» phải là chuỗi ký tự.",
    "string_too_long": "«{field}» dài quá {max_length} ký tự.",
    "string_too_short": "«{field}» phải có ít nhất {min_length} ký tự.",
    "date_parsing": "«{field}» phải là ngày dạng YYYY-MM-DD.",
    "date_from_datetime_parsing": "«{field}» phải là ngày dạng YYYY-MM-DD.",
    "list_type": "«{field}» phải là một danh sách.",
    "dict_type": "«{field}» phải là một đối tượng JSON.",
    "model_attributes_type": "«{field}» phải là một đối tượng JSON.",
    "json_invalid": "Nội dung JSON hỏng.",
    "enum": "«{field}» phải là một trong các giá trị: {expected}.",
    "literal_error": "«{field}» phải là một trong các giá trị: {expected}.",
}
_CONTAINERS = {"body", "query", "path", "header", "form", "file", "payload", "cookie"}


def schema_error_in_vietnamese(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic error of a request with its ``msg`` in Vietnamese naming the field."""
    names = [str(part) for part in error.get("loc", ()) if str(part) not in _CONTAINERS]
    field = ".".join(names) or "nội dung"
    context = {key: value for key, value in (error.get("ctx") or {}).items()}
    template = _SCHEMA_MESSAGES.get(str(error.get("type", "")))
    try:
        message = template.format(field=field, **context) if template else None
    except (KeyError, IndexError):  # a context the template does not know: say it generally
        message = None
    return {**error, "msg": message or f"«{field}» không hợp lệ."}


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": [schema_error_in_vietnamese(dict(error)) for error in exc.errors]}, status=422
    )


@api.exception_handler(MultiPartParserError)
def on_unreadable_body(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """A multipart body that cannot be read (no boundary, cut off…): 400 in JSON like every answer."""
    return api.create_response(
        request,
        {"detail": "Không đọc được nội dung gửi lên (multipart/form-data hỏng hoặc thiếu boundary)."},
        status=400,
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Bạn không có quyền thực hiện thao tác này."}, status=403)


api.add_router("/org", org_router)
api.add_router("/plans", plans_router)
api.add_router("/assessments", assessments_router)
api.add_router("/assessments", dashboard_router)
api.add_router("/surveys", surveys_router)
api.add_router("/feedback", feedback_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/operations", operations_router)
api.add_router("/documents", documents_router)
api.add_router("/signatures", signatures_router)
api.add_router("/submissions", submissions_router)
