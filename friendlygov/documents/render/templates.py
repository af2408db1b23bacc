"""Administrator-uploaded Word templates (docxtpl, sandboxed Jinja): checked, rendered, their
placeholders listed."""

from __future__ import annotations

import dataclasses
import io
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from friendlygov.kit import ooxml
from friendlygov.kit.office_files import DOCX_READ_ERRORS

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_OUTPUT_CHARS = 30_000_000  # characters of XML one part of the template may produce
MAX_RENDER_SECONDS = 20.0
MAX_REPEAT = 200_000  # characters or items a "*" may build
MAX_WIDTH = 1000  # widths/counts given to padding filters and methods, and in format strings


class TemplateRenderError(Exception):
    """The uploaded template cannot be used or filled; the message is Vietnamese and safe to show."""


def _limit_error(kind: str) -> Exception:
    from jinja2.exceptions import SecurityError

    error = SecurityError(f"limit: {kind}")
    error.friendlygov_limit = kind  # type: ignore[attr-defined]
    return error


# A format spec with a width/precision of 4+ digits, or taken from an argument ("{:{}}", "%*d").
_WIDTH_IN_FORMAT = re.compile(r"\{[^{}]*:[^{}]*(?:\d{4,}|\{)|%[-+ #0]*(?:\d{4,}|\*|\d*\.(?:\d{4,}|\*))")
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_BOUNDED_FILTERS = ("center", "indent", "wordwrap", "truncate", "format", "batch", "slice", "filesizeformat")


def _check_format(fmt: Any) -> None:
    if isinstance(fmt, str) and _WIDTH_IN_FORMAT.search(fmt):
        raise _limit_error("size")


def _check_widths(values: Iterable[Any]) -> None:
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WIDTH:
            raise _limit_error("size")


def _make_sandbox(timeout: float) -> Any:
    """A Jinja environment for untrusted templates.

    ImmutableSandboxedEnvironment already refuses "_"-prefixed and other internal attributes, mutating
    methods and callables marked `alters_data`; on top of it an unsafe attribute raises at once (instead of
    quietly rendering as empty), repetitions, powers, paddings and format widths are capped, `lipsum` is
    gone, `range` checks a deadline while it iterates, and the output of each part is bounded.
    """
    from jinja2 import Template, Undefined
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    deadline = time.monotonic() + timeout

    def check_time() -> None:
        if time.monotonic() > deadline:
            raise _limit_error("time")

    class BoundedTemplate(Template):
        def render(self, *args: Any, **kwargs: Any) -> str:
            chunks: list[str] = []
            size = 0
            for chunk in self.generate(*args, **kwargs):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise _limit_error("size")
                check_time()
                chunks.append(chunk)
            return "".join(chunks)

    class BoundedRange:
        """What `range(...)` gives a template: iterable, sized, printed as nothing."""

        def __init__(self, values: range) -> None:
            self._values = values

        def __iter__(self) -> Any:
            for item in self._values:
                check_time()
                yield item

        def __len__(self) -> int:
            return len(self._values)

        def __str__(self) -> str:
            return ""

        __html__ = __str__

    class DocumentSandbox(ImmutableSandboxedEnvironment):
        template_class = BoundedTemplate
        intercepted_binops = frozenset({"*", "**", "%"})

        def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
            raise SecurityError(f"unsafe attribute {attribute!r}")

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            check_time()
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    sized = isinstance(seq, str | list | tuple) and isinstance(times, int)
                    if sized and len(seq) * max(times, 0) > MAX_REPEAT:
                        raise _limit_error("size")
            elif operator == "**":
                if isinstance(left, int | float) and isinstance(right, int | float):
                    too_big_int = isinstance(left, int) and abs(left).bit_length() * abs(right) > 4096
                    if abs(right) > 64 or too_big_int:
                        raise _limit_error("size")
            elif operator == "%":
                _check_format(left)
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Any:
            # str.format/format_map are replaced by a sandboxed wrapper when the attribute is read.
            wrapped = super().wrap_str_format(value)
            if wrapped is not None:
                _check_format(value.__self__)
            return wrapped

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            check_time()
            if (
                isinstance(getattr(__obj, "__self__", None), str)
                and getattr(__obj, "__name__", "") in _WIDTH_METHODS
            ):
                _check_widths((*args, *kwargs.values()))
            return super().call(__context, __obj, *args, **kwargs)

    env = DocumentSandbox(autoescape=True, undefined=Undefined)
    env.globals.pop("lipsum", None)

    def bounded_filter(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            check_time()
            if name == "format" and args:
                _check_format(args[0])
            _check_widths((*args[1:], *kwargs.values()))
            return original(*args, **kwargs)

        if hasattr(original, "jinja_pass_arg"):
            wrapper.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
        return wrapper

    for name in _BOUNDED_FILTERS:
        if name in env.filters:
            env.filters[name] = bounded_filter(name, env.filters[name])

    safe_range: Callable[..., range] = env.globals["range"]  # type: ignore[assignment]

    def bounded_range(*args: int) -> BoundedRange:
        return BoundedRange(safe_range(*args))  # the sandbox's range refuses more than 100 000 items

    env.globals["range"] = bounded_range
    return env


def _check_zip(template_bytes: bytes) -> list[str]:
    if not isinstance(template_bytes, bytes | bytearray) or not template_bytes:
        return ["Tệp mẫu rỗng."]
    if len(template_bytes) > MAX_TEMPLATE_BYTES:
        return [f"Tệp mẫu quá lớn (tối đa {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB)."]
    try:
        archive = zipfile.ZipFile(io.BytesIO(template_bytes))
    except zipfile.BadZipFile:
        return ["Tệp mẫu không phải tệp Word .docx (không đọc được dạng nén ZIP)."]
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            return ["Tệp mẫu có quá nhiều thành phần bên trong, không phải tệp Word hợp lệ."]
        if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
            return ["Tệp mẫu khi giải nén quá lớn, không phải tệp Word hợp lệ."]
        try:  # compression ratios (a zip bomb), names, encryption: the checks every uploaded package gets
            ooxml.check_members(infos, "mẫu")
        except ooxml.PackageError as exc:
            return [exc.message]
        names = {info.filename for info in infos}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            return ["Tệp mẫu không phải văn bản Word .docx (thiếu phần nội dung word/document.xml)."]
        try:
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        except (zipfile.BadZipFile, OSError, RuntimeError):
            return ["Tệp mẫu bị hỏng, không đọc được."]
        if "macroEnabled" in content_types or any(n.lower().endswith("vbaproject.bin") for n in names):
            return ["Tệp mẫu có macro (.docm): không được chấp nhận, hãy lưu lại dưới dạng .docx."]
    return []


def _load_template(template_bytes: bytes) -> Any:
    from docxtpl import DocxTemplate

    problems = _check_zip(template_bytes)
    if problems:
        raise TemplateRenderError(problems[0])
    try:
        tpl = DocxTemplate(io.BytesIO(bytes(template_bytes)))
        tpl.init_docx()
    except DOCX_READ_ERRORS as exc:  # a broken or foreign package
        raise TemplateRenderError("Tệp mẫu không phải văn bản Word .docx hợp lệ (không mở được).") from exc
    return tpl


def _location(exc: Exception) -> str:
    context = getattr(exc, "docx_context", None)
    if context is None:
        return ""
    text = " ".join(part.strip() for part in context if part and part.strip())
    text = re.sub(r"\s+", " ", text)[:160]
    return f" Gần đoạn: “{text}”." if text else ""


def _plain(value: Any, path: str = "context", depth: int = 0) -> Any:
    """Copy the context into plain data: the template sees values, never our objects or their methods."""
    from docxtpl import InlineImage, Listing, RichText
    from markupsafe import Markup

    passthrough: tuple[type, ...] = (RichText, Listing, InlineImage)
    try:
        from docxtpl.subdoc import Subdoc

        passthrough += (Subdoc,)
    except ImportError:  # pragma: no cover - docxcompose missing
        pass

    if depth > 20:
        raise TemplateRenderError(f"Dữ liệu cho mẫu lồng nhau quá sâu tại {path}.")
    if value is None or isinstance(value, bool | int | float | Decimal | date | Markup):
        return value
    if isinstance(value, str):
        return Listing(value) if "\n" in value else value
    if isinstance(value, passthrough):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{path}.{k}", depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
    raise TemplateRenderError(f"Dữ liệu cho mẫu có kiểu không hỗ trợ tại {path}: {type(value).__name__}.")


def render_template(
    template_bytes: bytes, context: dict[str, Any], *, timeout: float = MAX_RENDER_SECONDS
) -> bytes:
    """Fill an administrator-uploaded Word template with `context` in a sandbox.

    The context is copied into plain data first (str, numbers, dates, dicts, lists, dataclasses,
    docxtpl RichText/Listing/InlineImage), so the template never reaches our objects or their methods.
    Raises TemplateRenderError (Vietnamese message) for a bad file, a syntax error, a forbidden
    expression (internal attributes, mutating calls), a limit exceeded (size, `timeout` seconds) or an
    expression that cannot be computed.
    """
    from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError, UndefinedError
    from lxml.etree import XMLSyntaxError

    tpl = _load_template(template_bytes)
    data = _plain(context)
    env = _make_sandbox(timeout)
    try:
        tpl.render(data, jinja_env=env, autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
    except SecurityError as exc:
        limit = getattr(exc, "friendlygov_limit", None)
        if limit == "time":
            seconds = f"{timeout:g}".replace(".", ",")
            message = f"Mẫu văn bản chạy quá lâu (quá {seconds} giây): kiểm tra các vòng lặp {{% for %}}."
        elif limit == "size":
            message = "Mẫu văn bản tạo ra dữ liệu quá lớn (lặp chuỗi, độ rộng hoặc số mũ quá lớn)."
        else:
            message = (
                "Mẫu văn bản dùng biểu thức không được phép (thành phần nội bộ hoặc lệnh thay đổi dữ liệu); "
                "chỉ được dùng các trường dữ liệu được cung cấp."
            )
        raise TemplateRenderError(message + _location(exc)) from None
    except TemplateSyntaxError as exc:
        raise TemplateRenderError(
            "Mẫu văn bản sai cú pháp trường dữ liệu ({{ … }} hoặc {% … %})." + _location(exc)
        ) from None
    except UndefinedError as exc:
        found = re.search(r"'([A-Za-z_][A-Za-z0-9_]*)' is undefined", str(exc))
        name = f" “{found.group(1)}”" if found else ""
        raise TemplateRenderError(
            f"Mẫu văn bản dùng trường{name} không có dữ liệu." + _location(exc)
        ) from None
    except TemplateError as exc:
        raise TemplateRenderError("Không điền được dữ liệu vào mẫu văn bản." + _location(exc)) from None
    except XMLSyntaxError:
        raise TemplateRenderError(
            "Sau khi điền dữ liệu, tệp Word bị hỏng: kiểm tra các lệnh {% … %} có mở và đóng trong cùng "
            "một đoạn hoặc dùng {%p … %} cho cả đoạn."
        ) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError, MemoryError, RecursionError):
        raise TemplateRenderError(
            "Không điền được dữ liệu vào mẫu văn bản: một biểu thức trong mẫu không tính được."
        ) from None
    return out.getvalue()


def _template_ast(template_bytes: bytes) -> tuple[Any, Any]:
    from jinja2.exceptions import TemplateSyntaxError

    tpl = _load_template(template_bytes)
    env = _make_sandbox(MAX_RENDER_SECONDS)
    xml = tpl.patch_xml(tpl.xml_to_string(tpl.docx._element.body))
    for part in _header_footer_parts(tpl):
        xml += tpl.patch_xml(tpl.xml_to_string(part))
    try:
        return env, env.parse(xml)
    except TemplateSyntaxError as exc:
        line = max((exc.lineno or 1) - 4, 0)
        exc.docx_context = [re.sub(r"<[^>]+>", "", x) for x in xml.splitlines()[line : line + 7]]  # type: ignore[attr-defined]
        raise TemplateRenderError(
            "Mẫu văn bản sai cú pháp trường dữ liệu ({{ … }} hoặc {% … %})." + _location(exc)
        ) from None


def _header_footer_parts(tpl: Any) -> list[Any]:
    from docx.oxml import parse_xml

    parts = []
    for rel in tpl.docx._part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and not rel.is_external and rel.target_part.blob:
            parts.append(parse_xml(rel.target_part.blob))
    return parts


def template_placeholders(template_bytes: bytes) -> list[str]:
    """Top-level data names a template uses (`{{ don_vi.ten }}` gives "don_vi"), sorted."""
    from jinja2 import meta

    env, ast = _template_ast(template_bytes)
    names = meta.find_undeclared_variables(ast) - set(env.globals)
    return sorted(names)


def validate_template(template_bytes: bytes, allowed: Iterable[str] | None = None) -> list[str]:
    """Problems of an uploaded template, in Vietnamese; an empty list means it can be used.

    Checks: a .docx (zip, with word/document.xml, no macros, sizes), Jinja syntax, no internal
    ("_"-prefixed) attributes, and — when `allowed` is given — only known top-level fields.
    """
    from jinja2 import meta, nodes

    problems = _check_zip(template_bytes)
    if problems:
        return problems
    try:
        env, ast = _template_ast(template_bytes)
    except TemplateRenderError as exc:
        return [str(exc)]
    forbidden: set[str] = set()
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Name)):
        name: Any = None
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value
        elif isinstance(node, nodes.Name):
            name = node.name
        elif isinstance(node, nodes.Filter) and node.name == "attr" and node.args:
            arg = node.args[0]
            name = arg.value if isinstance(arg, nodes.Const) else None
        if isinstance(name, str) and name.startswith("_"):
            forbidden.add(name)
    for name in sorted(forbidden):
        problems.append(f"Mẫu dùng thành phần nội bộ không được phép: “{name}”.")
    used = meta.find_undeclared_variables(ast) - set(env.globals)
    if allowed is not None:
        known = set(allowed)
        for name in sorted(used - known - forbidden):
            problems.append(
                f"Mẫu dùng trường “{name}” không có trong danh sách trường dữ liệu được cung cấp."
            )
    return problems
