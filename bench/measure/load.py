"""Benchmark 4, ``load``: public survey submissions through gunicorn under wrk, against the reference views
of bench/urls.py, with the workers' peak memory."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.measure.environment import (
    BENCH_LINK,
    ROOT,
    TARGETS,
    VENV_BIN,
    delete_responses,
    log,
    vm_hwm_mb,
)

# Every post carries a form token of its own, as every citizen's form does (a token is good for one
# answer): the tokens are read from a file, one per line, shared out between wrk's threads.
LUA = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken=%(csrf)s"
local threads = {}
local next_id = 1
function setup(thread) thread:set("id", next_id); next_id = next_id + 1; table.insert(threads, thread) end
function init(args)
  ok = 0; redirects = 0; other = 0; sent = 0
  tokens = {}
  for line in io.lines("%(tokens)s") do table.insert(tokens, line) end
end
function request()
  sent = sent + 1
  local token = tokens[(((sent - 1) * %(threads)d + id - 1) %% #tokens) + 1]
  return wrk.format(nil, nil, nil, "%(before)s" .. token .. "%(after)s")
end
function response(status, headers, body)
  if status >= 300 and status < 400 then redirects = redirects + 1
  elseif status >= 200 and status < 300 then ok = ok + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local r, o, x = 0, 0, 0
  for _, t in ipairs(threads) do r = r + t:get("redirects"); o = o + t:get("ok"); x = x + t:get("other") end
  io.write(string.format("WRKRESULT %%d %%d %%d %%d %%d %%d %%d %%d\n", summary.requests, summary.duration, r, o, x,
    latency:percentile(50), latency:percentile(99), summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""
#: wrk's threads (the LUA script shares the tokens out by thread).
WRK_THREADS = 2
#: Form tokens written for one wrk run: more than a run can post (a token used twice flags the answer).
TOKENS_PER_RUN = 40_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _wrk(script: Path, url: str, seconds: int, connections: int, threads: int) -> dict[str, Any]:
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), url],
        capture_output=True, text=True, timeout=seconds + 60,
    )  # fmt: skip
    match = re.search(r"WRKRESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", done.stdout)
    if match is None:
        raise RuntimeError(f"wrk: không đọc được kết quả:\n{done.stdout}\n{done.stderr}")
    requests, micros, redirects, ok, other, p50, p99, socket_errors = (int(g) for g in match.groups())
    return {
        "requests": requests, "seconds": round(micros / 1e6, 2), "per_second": round(requests / (micros / 1e6), 1),
        "responses_3xx": redirects, "responses_2xx": ok, "responses_other": other, "socket_errors": socket_errors,
        "latency_p50_ms": round(p50 / 1000, 1), "latency_p99_ms": round(p99 / 1000, 1),
    }  # fmt: skip


def _machine_busy_seconds() -> float:
    """CPU time the whole machine has spent busy (every core, every process: wrk, gunicorn, PostgreSQL —
    and anything else running, so measure on an idle machine); time the hypervisor gave to other guests
    (steal) is not ours and is left out."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = (fields + [0] * 7)[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _process_cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (gunicorn's master and workers)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _wrk_with_cpu(server_pid: int, script: Path, url: str, seconds: int, connections: int) -> dict[str, Any]:
    """One wrk run (:func:`_wrk`) with the CPU it cost per request: the server's processes alone and the whole
    machine. When the cores are saturated, requests per second of two views stand in the inverse ratio of
    their whole-machine CPU per request, which is what says where a ratio's limit lies."""
    pids = [server_pid, *_children(server_pid)]
    server_before, machine_before = _process_cpu_seconds(pids), _machine_busy_seconds()
    result = _wrk(script, url, seconds, connections, WRK_THREADS)
    server_cpu = _process_cpu_seconds(pids) - server_before
    machine_cpu = _machine_busy_seconds() - machine_before
    requests = result["requests"] or 1
    result["cpu_ms_per_request"] = {
        "server": round(server_cpu / requests * 1000, 2),
        "machine": round(machine_cpu / requests * 1000, 2),
    }
    return result


def _form_tokens(count: int) -> list[str]:
    """``count`` form tokens of the load test's link, opened a minute ago (not "sent too fast"), URL-encoded
    for a form body: what ``count`` citizens opening the form would each receive."""
    from django.utils import timezone

    from friendlygov.surveys import protection

    opened = timezone.now() - dt.timedelta(minutes=1)
    return [urllib.parse.quote_plus(protection.form_token(BENCH_LINK, at=opened)) for _ in range(count)]


def bench_load(env: dict[str, str], seconds: int, workers: int, connections: int) -> dict[str, Any]:
    from bench.generate import BENCH_UNIT
    from bench.urls import WRITE_LINK
    from friendlygov.org.models import Unit
    from friendlygov.surveys.models import Questionnaire, Response, SurveyLink

    if shutil.which("wrk") is None:
        return {"skipped": "wrk chưa được cài (apt-get install -y wrk)"}
    unit = Unit.objects.get(slug=BENCH_UNIT)
    sipas = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    links = {
        token: SurveyLink.objects.get_or_create(
            token=token,
            defaults={
                "unit": unit,
                "questionnaire": sipas,
                "label": label,
                "receipt_mode": SurveyLink.ReceiptMode.OFF,
            },
        )[0]
        for token, label in ((BENCH_LINK, "Điểm khảo sát thử tải"), (WRITE_LINK, "Thử tải: chỉ ghi"))
    }
    link = links[BENCH_LINK]
    from django.db import connections as db_connections

    db_connections.close_all()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = Path(env["FRIENDLYGOV_VAR_DIR"]) / "gunicorn.log"
    server_env = {**os.environ, **env}
    with log_path.open("w") as server_log:
        server = subprocess.Popen(
            [str(VENV_BIN / "friendlygov"), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            env=server_env, stdout=server_log, stderr=subprocess.STDOUT, cwd=str(ROOT), start_new_session=True,
        )  # fmt: skip
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"gunicorn không khởi động được; xem {log_path}")
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(f"{base}/ks/{BENCH_LINK}/", timeout=10) as response:
            page = response.read().decode()
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        hidden = dict(re.findall(r'name="(csrfmiddlewaretoken|started|version)" value="([^"]*)"', page))
        hidden.update(
            {
                k: v
                for v, k in re.findall(r'value="([^"]*)" name="(csrfmiddlewaretoken|started|version)"', page)
            }
        )
        items = sorted({int(n) for n in re.findall(r'name="i(\d+)"', page)})
        if not items or "csrfmiddlewaretoken" not in hidden:
            raise RuntimeError("không đọc được phiếu khảo sát công khai (thiếu câu hỏi hoặc mã CSRF)")
        marker = "FORMTOKEN"
        fields = {**hidden, "started": marker, "website": "", **{f"i{n}": str(4 + n % 2) for n in items}}
        before, after = urllib.parse.urlencode(fields).split(marker)
        with tempfile.TemporaryDirectory() as folder:
            runs = iter(range(1000))

            def script() -> Path:
                """A script whose posts each carry a form token no other post used."""
                run = next(runs)
                tokens = Path(folder) / f"tokens-{run}.txt"
                tokens.write_text("\n".join(_form_tokens(TOKENS_PER_RUN)) + "\n")
                path = Path(folder) / f"post-{run}.lua"
                path.write_text(
                    LUA
                    % {
                        "csrf": csrf,
                        "tokens": tokens,
                        "threads": WRK_THREADS,
                        "before": before,
                        "after": after,
                    }
                )
                return path

            # warm-up (every worker, both paths)
            _wrk(script(), f"{base}/bench/bare/", 3, connections, WRK_THREADS)
            _wrk(script(), f"{base}/ks/{BENCH_LINK}/", 3, connections, WRK_THREADS)
            accepted_before = Response.objects.filter(link=link, status=Response.Status.ACCEPTED).count()
            all_before = Response.objects.filter(link=link).count()
            measured: dict[str, dict[str, Any]] = {}
            for name, label, path in (
                ("bare", "bare view:         ", "/bench/bare/"),
                ("submit", "survey submissions:", f"/ks/{BENCH_LINK}/"),
                ("write", "bare view + insert:", "/bench/write/"),
                ("batched", "+ group commit:    ", "/bench/write-batched/"),
            ):
                run = measured[name] = _wrk_with_cpu(server.pid, script(), base + path, seconds, connections)
                log(
                    f"  {label} {run['per_second']:>8.1f} req/s  p50 {run['latency_p50_ms']} ms  "
                    f"p99 {run['latency_p99_ms']} ms  CPU/request {run['cpu_ms_per_request']}"
                )
            bare, submit, write, batched = (measured[k] for k in ("bare", "submit", "write", "batched"))
        time.sleep(2)  # let requests still in flight when wrk stopped finish
        accepted = (
            Response.objects.filter(link=link, status=Response.Status.ACCEPTED).count() - accepted_before
        )
        stored = Response.objects.filter(link=link).count() - all_before
        redirects = submit["responses_3xx"]
        workers_mb = {str(pid): vm_hwm_mb(pid) for pid in _children(server.pid)}
        master_mb = vm_hwm_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        # the load test's answers (dated today, real clock) must not change the next run's figures
        delete_responses(Response.objects.filter(link__token__in=list(links)))
    # the reference: the same post answered by a view that stores one answer durably and nothing else
    ratio = submit["per_second"] / write["per_second"] if write["per_second"] else math.nan
    # Every post carries its own form token (as a citizen's form does), so every answer stored is accepted
    # and counted in the kept figures; an answer is lost when it was not stored at all.
    lost = max(0, redirects - stored)
    # The most submissions the cores this process may use could answer at their CPU cost per request
    # (gunicorn, the database and wrk included), against the insert view's measured rate: the ratio's
    # ceiling. On SQLite the insert view's own rate is held down by waits for the one write lock (it does not
    # use both cores), so this is a ceiling against that rate, not against an ideal reference.
    cores = len(os.sched_getaffinity(0))
    submit_cpu = submit["cpu_ms_per_request"]["machine"]
    most_per_second = cores * 1000 / submit_cpu if submit_cpu else math.nan
    cpu_limit = most_per_second / write["per_second"] if submit_cpu and write["per_second"] else None
    result = {
        "workers": workers, "threads_per_worker": 4, "connections": connections, "seconds": seconds,
        "bare": bare, "submit": submit, "write": write, "write_batched": batched, "ratio": round(ratio, 3),
        "ratio_cpu_limit": round(cpu_limit, 3) if cpu_limit is not None else None,
        "ratio_to_bare": round(submit["per_second"] / bare["per_second"], 3) if bare["per_second"] else None,
        "batched_ratio_to_bare": round(batched["per_second"] / bare["per_second"], 3) if bare["per_second"] else None,
        "accepted_rows": accepted, "stored_rows": stored, "redirects_counted": redirects, "lost_answers": lost,
        "meets_target": ratio >= TARGETS["load_ratio"] and lost == 0 and submit["responses_other"] == 0,
        "memory_meets_target": all(v <= TARGETS["worker_peak_mb"] for v in workers_mb.values() if v),
        "worker_peak_rss_mb": workers_mb, "master_peak_rss_mb": master_mb,
    }  # fmt: skip
    log(f"  ratio to the insert view {ratio:.2f} (target ≥ {TARGETS['load_ratio']}); 3xx counted {redirects}, accepted rows +{accepted}, "
        f"lost {lost}; non-3xx {submit['responses_other']}")  # fmt: skip
    log(f"  the machine's CPU per request: submission {submit['cpu_ms_per_request']['machine']} ms, insert view "
        f"{write['cpu_ms_per_request']['machine']} ms; {cores} cores answer at most "
        f"{most_per_second:.0f} submissions/s: ratio ≤ {cpu_limit or math.nan:.2f}")  # fmt: skip
    log(f"  worker peak RSS (VmHWM): {workers_mb} MB")
    return result
