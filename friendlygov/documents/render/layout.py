"""Layout constants of Decree 30/2020/NĐ-CP, Appendix I, and the error of a document that cannot be laid out."""

from __future__ import annotations

from typing import Literal

FONT_NAME = "Times New Roman"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_MARK = "DỰ THẢO"
DRAFT_STATUS = "Dự thảo"
ISSUED_STATUS = "Ban hành"
BLANK = "....."  # dotted blank for the number, day and month of a draft

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 20.0
MARGIN_BOTTOM_MM = 20.0
MARGIN_LEFT_MM = 30.0
MARGIN_RIGHT_MM = 15.0
HEADER_DISTANCE_MM = 10.0

BODY_SIZE = 14.0
BODY_FIRST_LINE_INDENT_MM = 12.7
BODY_SPACE_AFTER_PT = 6.0
BODY_LINE_SPACING = 1.2  # multiple of single; the decree allows single to 1.5 lines

HEADER_LEFT_MM = 62.0  # issuing body and number; the rest of the text width holds the national title
FOOTER_LEFT_MM = 78.0  # "Nơi nhận"; the rest holds the signature block
ADDRESSEE_LABEL_MM = 25.0  # "Kính gửi:" of a công văn with several addressees
ADDRESSEE_LIST_MM = 45.0
SIGNATURE_SPACE_PT = 72.0  # room for the hand signature and the seal above the signer's name
RULE_SIZE_EIGHTHS = 6  # 0.75 pt solid rule
RULE_GAP_PT = 5.0  # height of the empty paragraph that carries a rule: the gap under the text above

_Align = Literal["left", "center", "right", "justify"]


class DocumentError(ValueError):
    """The document model cannot be laid out (message in Vietnamese, naming the block at fault)."""
