"""Kept figures: counts of the records the city's pages, documents and measured criteria need, kept up to
date in the same transaction as every write that changes them (``services``), so that a page reads a few
rows per unit instead of counting a year of records. ``friendlygov figures rebuild`` counts them again
from the records; a stateful test checks that they always equal a recount.
"""

from __future__ import annotations

from django.db import models

from friendlygov.org.models import Unit
from friendlygov.surveys.models import Questionnaire, QuestionnaireVersion

#: ``SurveyTally.item`` of the row that counts respondents (an answer's item code is never empty).
RESPONDENTS = ""


class SurveyTally(models.Model):
    """Accepted answers of a unit to a questionnaire version in a period, per item and value; the row with
    ``item = ""`` (value 0) counts the respondents. ``period`` is a survey period's key: the year
    (``2026``), the quarter (``2026-Q1``) and the month (``2026-01``) of the answer's local date — every
    answer counts in the three."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    item = models.CharField(max_length=40)
    value = models.PositiveSmallIntegerField()
    count = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "questionnaire", "period", "version", "item", "value"],
                name="survey_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.item or 'n'}={self.value}: {self.count}"
