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
        # What the SIPAS figures read (a unit's or the city's items and values of a period, summed): the
        # whole row in the index, so the read never visits the table. A city's survey comparison: 85 → 52 ms
        # on PostgreSQL, 13 → 6.5 ms of SQL on SQLite; it costs a counted answer ~0.7 ms on PostgreSQL (its
        # count is indexed: the rows are no longer updated in place) and ~0.07 ms on SQLite.
        indexes = [
            models.Index(
                fields=["unit", "questionnaire", "period", "item", "value", "count"], name="survey_tally_read"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.item or 'n'}={self.value}: {self.count}"


#: The unique key of a kept dossier row: the conflict target of ``store.add`` and the order of the rows
#: ``services`` builds (the unit first, then what ``selectors.add_dossier`` reads).
DOSSIER_TALLY_KEY = (
    "unit",
    "received_year",
    "finished_year",
    "deadline_year",
    "late_by_rule",
    "finished_in_time",
    "online",
    "digitised",
    "electronic",
)
#: The unique key of a kept feedback row (as above).
FEEDBACK_TALLY_KEY = ("unit", "period", "state_type", "on_time", "on_time_at_year_end", "rating")


class DossierTally(models.Model):
    """A unit's imported dossiers counted by what the 766 figures of any year need: the (local) years it
    was received and finished (0: still pending) and the year of its deadline (0: no appointment), and
    its flags. A year's figures are read from a few such rows (see ``selectors.dossier_counts``)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    received_year = models.PositiveSmallIntegerField()
    finished_year = models.PositiveSmallIntegerField()
    deadline_year = models.PositiveSmallIntegerField()
    #: more than one request to supplement: late whatever the dates
    late_by_rule = models.BooleanField()
    #: finished no later than its deadline
    finished_in_time = models.BooleanField()
    online = models.BooleanField()
    digitised = models.BooleanField()
    electronic = models.BooleanField()
    count = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=DOSSIER_TALLY_KEY, name="dossier_tally_key")]

    def __str__(self) -> str:
        return f"{self.received_year}/{self.finished_year}: {self.count}"


class FeedbackTally(models.Model):
    """A unit's feedback counted by what the 766 figures 5.2 and 5.3 need: the period it was received in
    (year, quarter and month keys, as ``SurveyTally``: every item counts in the three), its current state
    type, its timeliness and the citizen's rating.

    Timeliness is kept where it no longer depends on the day it is judged: ``on_time`` is the verdict of a
    settled item (answered, closed or rejected: its history decides it; False for a pending item, which a
    reader judges against today); ``on_time_at_year_end`` is the verdict as of the 31 December of the year
    it was received (what a past year's figure reads). See ``selectors.feedback_counts``."""

    class Rating(models.IntegerChoices):
        NONE = 0
        SATISFIED = 1
        DISSATISFIED = 2

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.CharField(max_length=10)
    state_type = models.CharField(max_length=20)
    on_time = models.BooleanField()
    on_time_at_year_end = models.BooleanField()
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    count = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=FEEDBACK_TALLY_KEY, name="feedback_tally_key")]

    def __str__(self) -> str:
        return f"{self.period} {self.state_type}: {self.count}"
