"""A realistic plan of Thanh Miện commune (the user's seed), as an OfficialDocument, for tests and renders."""

from __future__ import annotations

from datetime import date

from friendlygov.documents.render import (
    Appendix,
    Block,
    Bullet,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    attachment_note,
)

MODEL = "“Chính quyền thân thiện”"

APPENDIX_ROWS = [
    [
        "1",
        "Tuyên truyền, phổ biến các văn bản về Chính quyền thân thiện, trọng tâm là: Đề án số 04-ĐA/TU ngày "
        "14/01/2026 của Thành ủy Hải Phòng và Nghị quyết số 05-NQ/TU ngày 14/01/2026 của Ban Chấp hành Đảng bộ "
        "thành phố về xây dựng mô hình chủ nghĩa xã hội gắn với con người xã hội chủ nghĩa tại thành phố Hải "
        "Phòng giai đoạn 2026 - 2030 và những năm tiếp theo; Đề án thực hiện mô hình “Chính quyền thân thiện” "
        "tại xã, phường, đặc khu trên địa bàn thành phố Hải Phòng giai đoạn 2026 - 2030 và những năm tiếp theo; "
        "Quyết định số 5049/QĐ-UBND ngày 11/12/2025 của Ủy ban nhân dân thành phố ban hành Bộ tiêu chí, Bảng "
        "thang điểm và quy trình xét công nhận “Chính quyền thân thiện” cấp xã trên địa bàn thành phố Hải Phòng.",
        "Hằng năm",
        "Phòng Văn hóa - Xã hội",
        "Các cơ quan, đơn vị thuộc UBND xã, Ủy ban Mặt trận Tổ quốc Việt Nam xã và các tổ chức chính trị - xã hội",
    ],
    [
        "2",
        "Hướng dẫn các thôn đẩy mạnh phong trào: Toàn dân xây dựng đời sống văn hóa gắn với các tiêu chí Chính "
        "quyền thân thiện; lồng ghép nội dung mô hình vào bình xét các danh hiệu văn hóa hằng năm",
        "Hằng năm",
        "Phòng Văn hóa - Xã hội",
        "Các thôn",
    ],
    [
        "3",
        "Xây dựng Kế hoạch triển khai thực hiện “Chính quyền thân thiện” và đăng ký mức đạt chuẩn “Chính quyền "
        "thân thiện” hằng năm gửi về Sở Nội vụ tổng hợp, theo dõi",
        "Trước ngày 15/02 hằng năm",
        "Phòng Văn hóa - Xã hội",
        "Các phòng, ban, đơn vị liên quan",
    ],
    [
        "4",
        "Tổ chức thực hiện các tiêu chí của mô hình Chính quyền thân thiện tại địa phương, bảo đảm đúng quy định",
        "Thường xuyên",
        "Các phòng, ban, cơ quan, đơn vị thuộc UBND xã",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã, các ngành liên quan",
    ],
    [
        "5",
        "Xây dựng báo cáo tự đánh giá, chấm điểm kết quả thực hiện các tiêu chí mô hình Chính quyền thân thiện "
        "theo mức đăng ký hằng năm, gửi báo cáo về Ủy ban nhân dân thành phố (qua Sở Nội vụ)",
        "Trước ngày 12/11 hằng năm",
        "Phòng Văn hóa - Xã hội",
        "Các phòng, ban, đơn vị liên quan",
    ],
    [
        "6",
        "Khen thưởng, biểu dương đối với các cá nhân, tập thể có thành tích tiêu biểu trong việc thực hiện các "
        "tiêu chí mô hình Chính quyền thân thiện trên địa bàn xã",
        "Tháng 12 hằng năm",
        "Phòng Văn hóa - Xã hội",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã, các phòng, ban, đơn vị liên quan",
    ],
    [
        "7",
        "Báo cáo kết quả triển khai thực hiện mô hình Chính quyền thân thiện trên địa bàn xã",
        "Tháng 12 hằng năm",
        "Phòng Văn hóa - Xã hội",
        "Các phòng, ban, đơn vị liên quan",
    ],
    [
        "8",
        "Tổng hợp dự toán kinh phí, tham mưu, đề xuất Ủy ban nhân dân thành phố bố trí kinh phí ngân sách hằng "
        "năm để thực hiện.",
        "Hằng năm",
        "Phòng Kinh tế",
        "",
    ],
    [
        "9",
        "Tiếp tục đẩy mạnh thực hiện cải cách thủ tục hành chính, đổi mới cơ chế hoạt động của Trung tâm Phục vụ "
        "hành chính công, bảo đảm đi vào thực chất, hiệu quả hướng đến mục tiêu phục vụ, tạo điều kiện tốt nhất "
        "cho người dân, doanh nghiệp.",
        "Hằng năm",
        "Trung tâm Phục vụ hành chính công",
        "Các phòng, ban, đơn vị liên quan",
    ],
    [
        "10",
        "Sơ kết 2 năm và tổng kết giai đoạn thực hiện Chính quyền thân thiện",
        "Năm 2027 và năm 2030",
        "Phòng Văn hóa - Xã hội",
        "Ban Xây dựng Đảng; Văn phòng HĐND và UBND và các cơ quan, đơn vị có liên quan",
    ],
]


def build_sample_plan(
    *, draft: bool = False, number: str | None = "12", when: date | None = None
) -> OfficialDocument:
    """The Thanh Miện 2026-2030 plan; `draft=True` leaves the number and date blank (year 2026)."""
    when = when if when is not None else date(2026, 4, 15)
    if draft:
        number, when = None, None
    subject = (
        f"Triển khai thực hiện mô hình {MODEL} trên địa bàn xã Thanh Miện giai đoạn 2026-2030 "
        "và những năm tiếp theo"
    )
    body: list[Block] = [
        Paragraph(
            "Căn cứ Kế hoạch số 119/KH-UBND ngày 09/4/2026 của Ủy ban nhân dân thành phố triển khai thực hiện "
            f"mô hình {MODEL} tại xã, phường, đặc khu trên địa bàn thành phố Hải Phòng giai đoạn 2026-2030 và "
            f"những năm tiếp theo. Ủy ban nhân dân xã xây dựng Kế hoạch triển khai thực hiện mô hình {MODEL} "
            "trên địa bàn xã Thanh Miện giai đoạn 2026-2030 và những năm tiếp theo, cụ thể như sau:"
        ),
        Heading(1, "Mục đích, yêu cầu"),
        Heading(2, "Mục đích"),
        Heading(
            3,
            "Đổi mới mạnh mẽ lề lối làm việc của chính quyền cơ sở từ “mệnh lệnh hành chính” sang “phục vụ, "
            "hướng dẫn, vận động, thuyết phục”; xây dựng nền hành chính thân thiện, phục vụ, hiện đại và hiệu "
            "quả; xây dựng phong cách “trọng dân, gần dân, hiểu dân, học dân và có trách nhiệm với dân”, hướng "
            "đến sự hài lòng của người dân.",
        ),
        Heading(
            3,
            f"Triển khai thực hiện tốt mô hình {MODEL} góp phần quan trọng trong việc duy trì, cải thiện và "
            "nâng cao Chỉ số hài lòng của người dân đối với sự phục vụ của các cơ quan hành chính nhà nước "
            "(SIPAS), Chỉ số cải cách hành chính (PAR INDEX).",
        ),
        Heading(2, "Yêu cầu"),
        Heading(
            3,
            f"Việc triển khai mô hình {MODEL} phải được thực hiện nghiêm túc, chất lượng, hiệu quả, tiết kiệm, "
            "tránh lãng phí, hình thức.",
        ),
        Heading(
            3,
            "Nội dung công việc phải gắn với trách nhiệm, vai trò của cơ quan, đơn vị, tổ chức, cá nhân liên "
            "quan được giao chủ trì, phối hợp.",
        ),
        Heading(1, "Mục tiêu"),
        Paragraph(
            "1. Kế hoạch được triển khai đồng bộ tại tất cả các cơ quan, đơn vị trên địa bàn xã từ năm 2026."
        ),
        Paragraph(f"2. Năm 2026, phấn đấu đạt chuẩn {MODEL} mức độ 3."),
        Paragraph(
            f"3. Từ năm 2027, phấn đấu nâng mức độ đạt chuẩn {MODEL}. Phấn đấu đạt chuẩn Mức độ 4 vào năm 2030."
        ),
        Heading(1, "Nội dung"),
        Heading(2, "Công tác thông tin, tuyên truyền"),
        Bullet(
            "Xây dựng pano, khẩu hiệu tuyên truyền trực quan về quyết tâm xây dựng “Chính quyền thân thiện”, "
            "khẩu hiệu “4 xin, 4 luôn và 5 không” tại cổng, trong khuôn viên trụ sở Ủy ban nhân dân xã và Trung "
            "tâm Phục vụ hành chính công xã."
        ),
        Bullet(
            "Tuyên truyền thông qua các hoạt động văn hóa, văn nghệ quần chúng và các bảng tin văn hóa tại các "
            "thôn nhằm tạo sức lan tỏa sâu rộng trong cộng đồng dân cư."
        ),
        Heading(2, f"Nhiệm vụ cụ thể triển khai thực hiện mô hình {MODEL}"),
        Paragraph("*(có Phụ lục chi tiết kèm theo)*"),
        Heading(1, "Kinh phí thực hiện"),
        Paragraph(
            "Kinh phí thực hiện Kế hoạch này do ngân sách nhà nước bảo đảm theo phân cấp ngân sách hiện hành và "
            "các nguồn kinh phí hợp pháp khác."
        ),
        Heading(1, "Tổ chức thực hiện"),
        Heading(2, "Các cơ quan, đơn vị có liên quan"),
        Bullet(
            "Quán triệt, chỉ đạo và tổ chức triển khai thực hiện các nội dung có liên quan của Kế hoạch này tại "
            "cơ quan, đơn vị bảo đảm theo quy định."
        ),
        Bullet(
            "Tổng hợp các vướng mắc, khó khăn trong quá trình thực hiện, báo cáo Ủy ban nhân dân xã "
            "(*qua Phòng Văn hóa - Xã hội tổng hợp*)."
        ),
        Heading(2, "Phòng Văn hóa - Xã hội"),
        Bullet(
            "Hướng dẫn, kiểm tra, đôn đốc việc triển khai thực hiện của các cơ quan, đơn vị; tổng hợp kết quả "
            "thực hiện Kế hoạch định kỳ hằng năm và theo yêu cầu đột xuất."
        ),
        Bullet(
            f"Chủ trì tổng hợp kết quả đánh giá, chấm điểm các tiêu chí mô hình {MODEL} hằng năm, báo cáo Ủy ban "
            "nhân dân xã trình thành phố xem xét, quyết định."
        ),
        Heading(2, "Trung tâm Phục vụ hành chính công xã"),
        Paragraph(
            "Chủ trì, phối hợp với các cơ quan, đơn vị tham mưu chỉ đạo tiếp tục đẩy mạnh thực hiện cải cách thủ "
            "tục hành chính, đổi mới cơ chế hoạt động của Trung tâm Phục vụ hành chính công bảo đảm đi vào thực "
            "chất, hiệu quả hướng đến mục tiêu phục vụ, tạo điều kiện tốt nhất cho người dân, doanh nghiệp."
        ),
        Paragraph(
            f"Trên đây là Kế hoạch triển khai thực hiện mô hình {MODEL} trên địa bàn xã Thanh Miện giai đoạn "
            "2026-2030 và những năm tiếp theo. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc đề nghị phản "
            "ánh về Ủy ban nhân dân xã (*qua Phòng Văn hóa - Xã hội xã*) để tổng hợp, báo cáo Ủy ban nhân dân xã "
            "xem xét, giải quyết."
        ),
    ]
    appendix = Appendix(
        title="Phụ lục nhiệm vụ cụ thể",
        subtitle=(
            f"Thực hiện mô hình {MODEL} tại xã Thanh Miện giai đoạn 2026 - 2030 và những năm tiếp theo"
        ),
        note=attachment_note("KẾ HOẠCH", number, "KH-UBND", when, "Ủy ban nhân dân xã Thanh Miện", year=2026),
        blocks=[
            Table(
                columns=[
                    "STT",
                    "Nhiệm vụ cụ thể",
                    "Thời gian thực hiện",
                    "Cơ quan chủ trì",
                    "Cơ quan phối hợp",
                ],
                rows=[list(row) for row in APPENDIX_ROWS],
                widths=[14, 108, 36, 42, 52],
                align=["center", "justify", "center", "center", "left"],
            )
        ],
        landscape=True,
    )
    return OfficialDocument(
        parent_body=None,
        issuing_body="Ủy ban nhân dân\nxã Thanh Miện",
        number=number,
        symbol="KH-UBND",
        place="Thanh Miện",
        date=when,
        type_name="Kế hoạch",
        subject=subject,
        body=body,
        recipients=[
            "Sở Nội vụ thành phố",
            "Thường trực Đảng ủy xã",
            "Thường trực HĐND xã",
            "CT, các PCT UBND xã",
            "Các cơ quan, đơn vị",
            "Các thôn trên địa bàn",
            "Lưu: VT, VHXH",
        ],
        signature=Signature(
            authority="TM. Ủy ban nhân dân", capacity="KT. Chủ tịch", title="Phó Chủ tịch", name="Lê Anh Tuấn"
        ),
        appendices=[appendix],
        draft=draft,
        year=2026,
    )
