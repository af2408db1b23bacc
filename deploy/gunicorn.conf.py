"""gunicorn settings for friendlygov (used by deploy/friendlygov.service and the Dockerfile).

Everything can be changed from the environment; the defaults suit a 2-core app server behind nginx.
Run: gunicorn -c deploy/gunicorn.conf.py friendlygov.wsgi:application
"""

import multiprocessing
import os

bind = os.environ.get("FRIENDLYGOV_BIND", "127.0.0.1:8000")
# Synchronous workers with a few threads each: pages are short database-bound requests.
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("FRIENDLYGOV_THREADS", "4"))
worker_class = "gthread"
# Document generation (DOCX/PDF) is the slowest page.
timeout = int(os.environ.get("FRIENDLYGOV_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never grows without bound.
max_requests = int(os.environ.get("FRIENDLYGOV_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's advice
# Only the proxy in front may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FRIENDLYGOV_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Uploads go through nginx (client_max_body_size); these only bound the header sizes.
limit_request_line = 8190
limit_request_fields = 100
accesslog = os.environ.get("FRIENDLYGOV_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("FRIENDLYGOV_GUNICORN_LOG_LEVEL", "info")
proc_name = "friendlygov"
