"""Administrator-uploaded Word templates: docxtpl in a Jinja sandbox."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

import docx
import pytest

from friendlygov.documents.render import (
    TemplateRenderError,
    render_template,
    template_placeholders,
    validate_template,
)

from .docx_reading import open_docx


def make_template(*lines: str, header: str | None = None) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def texts(data: bytes) -> list[str]:
    return [p.text for p in open_docx(data).paragraphs]


def test_fills_fields_loops_and_headers() -> None:
    template = make_template(
        "Kính gửi: {{ don_vi.ten }}",
        "{% for x in nhiem_vu %}{{ loop.index }}. {{ x }}; {% endfor %}",
        "Ngày {{ ngay.strftime('%d/%m/%Y') }}, tổng {{ tong }}",
        header="{{ so_hieu }}",
    )
    out = render_template(
        template,
        {
            "don_vi": {"ten": "Ủy ban nhân dân xã Thanh Miện"},
            "nhiem_vu": ["Tuyên truyền", "Khen thưởng"],
            "ngay": date(2026, 1, 5),
            "tong": "1.250.000",
            "so_hieu": "12/KH-UBND",
        },
    )
    assert texts(out) == [
        "Kính gửi: Ủy ban nhân dân xã Thanh Miện",
        "1. Tuyên truyền; 2. Khen thưởng; ",
        "Ngày 05/01/2026, tổng 1.250.000",
    ]
    assert open_docx(out).sections[0].header.paragraphs[0].text == "12/KH-UBND"


def test_ordinary_formatting_still_works() -> None:
    template = make_template("{{ '%.2f'|format(x) }} {{ '{:,}'.format(n) }} {{ 'ab' * 3 }} {{ 2 ** 10 }}")
    assert texts(render_template(template, {"x": 3.14159, "n": 1250000})) == ["3.14 1,250,000 ababab 1024"]


def test_values_are_escaped_not_interpreted() -> None:
    out = render_template(make_template("{{ ten }}"), {"ten": "A & B <w:p/> </w:t>"})
    assert texts(out) == ["A & B <w:p/> </w:t>"]


def test_dataclasses_become_plain_data() -> None:
    @dataclass
    class Unit:
        name: str

    out = render_template(make_template("{{ unit.name }}"), {"unit": Unit("Thanh Miện")})
    assert texts(out) == ["Thanh Miện"]


def test_objects_with_methods_are_not_passed_to_templates() -> None:
    class Model:
        def delete(self) -> None:  # pragma: no cover - must never run
            raise AssertionError("called")

    with pytest.raises(TemplateRenderError, match="kiểu không hỗ trợ tại context.unit"):
        render_template(make_template("{{ unit.delete() }}"), {"unit": Model()})


PAYLOADS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ ''|attr('__class__') }}",
    "{{ (ds|attr('__class__')).__base__ }}",
    "{{ '{0.__class__.__mro__}'.format(1) }}",
    "{{ ds.__len__ }}",
    "{{ ds.append(1) }}",
    "{{ ds.pop() }}",
    "{{ 'a' * 100000000 }}",
    "{{ 9 ** 9999999 }}",
    "{{ '%999999999d' % 1 }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '{:{}}'.format(1, 999999999) }}",
    "{{ '{a:>999999999}'.format_map({'a': 1}) }}",
    "{{ '%*d' % (999999999, 1) }}",
    "{{ '%999999999d'|format(1) }}",
    "{{ 'x'|center(999999999) }}",
    "{{ 'x'.ljust(999999999) }}",
    "{{ range(10 ** 9)|list }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sandbox_refuses_payloads(payload: str) -> None:
    with pytest.raises(TemplateRenderError) as caught:
        render_template(make_template("Trước", payload, "Sau"), {"ds": [1, 2]})
    message = str(caught.value)
    assert message.startswith(("Mẫu văn bản", "Không điền được"))
    for leak in ("__", "class", "object at", "Traceback", "globals", "<"):
        assert leak not in message


def test_sandbox_stops_long_loops() -> None:
    template = make_template(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    with pytest.raises(TemplateRenderError, match="chạy quá lâu \\(quá 0,3 giây\\)"):
        render_template(template, {}, timeout=0.3)


def test_range_prints_nothing_internal() -> None:
    out = render_template(make_template("[{{ range(3) }}] {{ range(3)|join(',') }}"), {})
    assert texts(out) == ["[] 0,1,2"]


def test_unknown_field_named_in_message() -> None:
    with pytest.raises(TemplateRenderError, match="trường “don_vi” không có dữ liệu"):
        render_template(make_template("{{ don_vi.ten.day_du }}"), {})


def test_missing_simple_field_renders_empty() -> None:
    assert texts(render_template(make_template("[{{ ghi_chu }}]"), {})) == ["[]"]


def test_syntax_error_message_points_at_the_paragraph() -> None:
    with pytest.raises(TemplateRenderError, match="sai cú pháp.*Gần đoạn.*for x in"):
        render_template(make_template("Mở đầu", "{% for x in %}", "Kết"), {})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "rỗng"),
        (b"not a zip at all", "không đọc được dạng nén ZIP"),
    ],
)
def test_not_a_docx(data: bytes, message: str) -> None:
    assert any(message in problem for problem in validate_template(data))
    with pytest.raises(TemplateRenderError, match=message):
        render_template(data, {})


def zip_with(**files: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name.replace("__", "/").replace("CT", "[Content_Types].xml"), content)
    return out.getvalue()


def test_zip_without_document_part() -> None:
    problems = validate_template(zip_with(readme__txt="x"))
    assert problems == ["Tệp mẫu không phải văn bản Word .docx (thiếu phần nội dung word/document.xml)."]


def test_macro_documents_are_refused() -> None:
    template = make_template("x")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/vbaProject.bin", b"\0")
    assert any("macro" in p for p in validate_template(out.getvalue()))


def test_validate_lists_problems_in_vietnamese() -> None:
    good = make_template("{{ don_vi }} {{ nam }}", header="{{ so_hieu }}")
    assert validate_template(good) == []
    assert validate_template(good, allowed=["don_vi", "nam", "so_hieu"]) == []
    assert validate_template(good, allowed=["don_vi"]) == [
        "Mẫu dùng trường “nam” không có trong danh sách trường dữ liệu được cung cấp.",
        "Mẫu dùng trường “so_hieu” không có trong danh sách trường dữ liệu được cung cấp.",
    ]
    bad = make_template("{{ ''.__class__ }}", "{{ x|attr('__globals__') }}")
    assert validate_template(bad) == [
        "Mẫu dùng thành phần nội bộ không được phép: “__class__”.",
        "Mẫu dùng thành phần nội bộ không được phép: “__globals__”.",
    ]
    broken = validate_template(make_template("{{ don_vi "))
    assert len(broken) == 1 and "sai cú pháp" in broken[0]


def test_placeholders() -> None:
    template = make_template(
        "{{ don_vi.ten }} {% for x in nhiem_vu %}{{ x.ten }}{% endfor %} {{ range(2)|list }}",
        header="{{ so_hieu }}",
    )
    assert template_placeholders(template) == ["don_vi", "nhiem_vu", "so_hieu"]
    with pytest.raises(TemplateRenderError):
        template_placeholders(b"xyz")
