"""The areas of the product, in the order they appear in the navigation.

Each area registers here with the URL name of its per-unit entry page; the shell shows the links the
current user may use.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Area:
    key: str
    label: str | Promise
    url_name: str  # reversed with the unit's slug


UNIT_AREAS: list[Area] = [
    Area("home", _("Tổng quan"), "unit_home"),
    Area("plans", _("Kế hoạch"), "plans:unit_plans"),
    Area("assessments", _("Đánh giá, chấm điểm"), "assessments:unit_cycles"),
    Area("surveys", _("Khảo sát SIPAS"), "surveys:unit_figures"),
    Area("feedback", _("Phản ánh, kiến nghị"), "feedback:unit_list"),
    Area("dossiers", _("Hồ sơ TTHC"), "dossiers:unit_figures"),
    Area("operations", _("Hoạt động"), "operations:unit_overview"),
    Area("documents", _("Văn bản"), "documents:unit_documents"),
    Area("org", _("Tổ chức"), "org:unit_detail"),
    Area("audit", _("Nhật ký"), "audit:unit_history"),
]

# The city's own pages (the city reviewer's and the system administrator's daily work).
CITY_AREAS: list[Area] = [
    Area("home", _("Tổng quan"), "city_home"),
    Area("dashboard", _("Toàn cảnh"), "assessments:city_dashboard"),
    Area("assessments", _("Đánh giá, chấm điểm"), "assessments:city_overview"),
    Area("surveys", _("Khảo sát SIPAS"), "surveys:city_comparison"),
    Area("dossiers", _("Hồ sơ TTHC"), "dossiers:city_comparison"),
    Area("documents", _("Văn bản"), "documents:city_documents"),
    Area("org", _("Tổ chức"), "org:unit_detail"),
    Area("audit", _("Nhật ký"), "audit:unit_history"),
]
