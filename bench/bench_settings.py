"""Settings for the benchmarks: the app's own settings, plus

- a bench-only URLconf adding ``/bench/bare/`` (the ceiling of the load test: a bare Django view behind
  the same middleware, in the same server);
- the public survey's rate limits and timing check raised, so that one load generator on one address
  is not throttled (``friendlygov/surveys/protection.py`` reads these knobs);
- DEBUG off unless asked (production-like templates and no query log), with plain static files storage
  so that no collected manifest is needed.

Never used by the app itself: `bench/run.py` sets ``DJANGO_SETTINGS_MODULE=bench.bench_settings``.
"""

from __future__ import annotations

import os

os.environ.setdefault("FRIENDLYGOV_DEBUG", "0")

from friendlygov.settings import *  # noqa: E402, F403
from friendlygov.settings import STORAGES  # noqa: E402

ROOT_URLCONF = "bench.urls"

# One address sends everything: no throttling, no "sent too fast" flag for a form token a second old.
SURVEYS_RATE_LIMITS = ((10**9, 60), (10**9, 3600))
SURVEYS_MIN_SECONDS = 0
FEEDBACK_RATE_LIMITS = {"submit": (10**9, 600), "lookup": (10**9, 600)}
AXES_ENABLED = False

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},  # errors only: no per-request warnings under load
}
