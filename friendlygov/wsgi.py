import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "friendlygov.settings")
application = get_wsgi_application()

# What a worker computes once, before its first request rather than during it.
from friendlygov.kit.code import code_mark  # noqa: E402

code_mark()
