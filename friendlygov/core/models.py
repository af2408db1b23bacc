"""Shared calendar data: the government's yearly working-day swaps, entered by an administrator."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingDaySwap(models.Model):
    """A day made a holiday (is_working_day=False) or a working day (True) on top of the `holidays` package."""

    date = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(_("là ngày làm việc"))
    reason = models.CharField(_("căn cứ"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày hoán đổi làm việc/nghỉ")
        verbose_name_plural = _("lịch hoán đổi ngày làm việc")

    def __str__(self) -> str:
        kind = "làm việc" if self.is_working_day else "nghỉ"
        return f"{self.date:%d/%m/%Y}: {kind}"
