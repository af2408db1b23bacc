"""After the schemathesis run: no response leaked a unit the user may not read.

1. The HAR of the run: no response body contains the slug of such a unit (unless the request itself
   carried it, i.e. an echo of the input).
2. Explicit requests: every authenticated GET endpoint whose only path parameter is a unit slug answers
   404 for each such unit, and GET /api/org/units does not list them.
Uses the server's own database (FRIENDLYGOV_VAR_DIR) to know which units the user may not read.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.request
from typing import Any


def forbidden_slugs(username: str) -> tuple[list[str], list[str]]:
    """(units the user may not read, those of them that are not an ancestor of a unit they may read).

    A readable unit's own data names its parent (the city), so the city's slug may appear in responses;
    any other unreadable unit's slug may not."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "friendlygov.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from friendlygov.org.access import Capability, can
    from friendlygov.org.models import Unit

    user = get_user_model().objects.get(username=username)
    units = list(Unit.objects.all())
    readable = [u for u in units if can(user, Capability.READ, u)]
    ancestors: set[int] = set()
    for unit in readable:
        node = unit
        while node.parent_id is not None and node.parent_id not in ancestors:
            ancestors.add(int(node.parent_id))
            node = node.parent  # type: ignore[assignment]
    unreadable = [u for u in units if u not in readable]
    return sorted(u.slug for u in unreadable), sorted(u.slug for u in unreadable if u.pk not in ancestors)


def example_value(schema: dict[str, Any], name: str) -> str:
    """A plausible value for a required query parameter, so that the request reaches the access check."""
    for key in ("default", "example"):
        if key in schema:
            return str(schema[key])
    if schema.get("enum"):
        return str(schema["enum"][0])
    kind = schema.get("type")
    if kind in ("integer", "number"):
        if "year" in name:
            return "2026"
        return str(schema.get("minimum", 1))
    if kind == "boolean":
        return "false"
    if schema.get("format") == "date":
        return "2026-01-01"
    return "x"


def get(url: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the server started by .ci/fuzz
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def check_har(path: str, slugs: list[str]) -> list[str]:
    problems = []
    if not os.path.exists(path):
        return [f"no HAR report at {path}"]
    with open(path, encoding="utf-8") as handle:
        har = json.load(handle)
    entries = har.get("log", {}).get("entries", [])
    patterns = {slug: re.compile(rf"(?<![\w-]){re.escape(slug)}(?![\w-])") for slug in slugs}
    for entry in entries:
        request = entry.get("request", {})
        sent = request.get("url", "") + json.dumps(request.get("postData", {}), ensure_ascii=False)
        body = entry.get("response", {}).get("content", {}).get("text") or ""
        for slug, pattern in patterns.items():
            if pattern.search(body) and slug not in sent:
                problems.append(
                    f"{request.get('method')} {request.get('url')} → {entry['response'].get('status')}: contains «{slug}»"
                )
    print(f"fuzz check: {len(entries)} recorded responses scanned for {len(slugs)} other units' slugs")
    return problems


def check_endpoints(base: str, token: str, slugs: list[str]) -> list[str]:
    problems = []
    status, text = get(f"{base}/api/openapi.json", token)
    if status != 200:
        return [f"GET /api/openapi.json → {status}"]
    schema: dict[str, Any] = json.loads(text)
    checked = 0
    for path, operations in schema.get("paths", {}).items():
        operation = operations.get("get")
        params = re.findall(r"{(\w+)}", path)
        if operation is None or params != ["slug"] or not operation.get("security"):
            continue
        query = "&".join(
            f"{p['name']}={example_value(p.get('schema', {}), p['name'])}"
            for p in operation.get("parameters", [])
            if p.get("in") == "query" and p.get("required")
        )
        for slug in slugs:
            url = path.replace("{slug}", slug) + (f"?{query}" if query else "")
            status, body = get(base + url, token)
            checked += 1
            if status != 404:
                problems.append(f"GET {url} → {status} (expected 404)")
    status, body = get(f"{base}/api/org/units", token)
    if status != 200:
        problems.append(f"GET /api/org/units → {status}")
    else:
        listed = {u.get("slug") for u in json.loads(body)} if body.startswith("[") else set()
        leaked = sorted(listed & set(slugs))
        if leaked:
            problems.append(f"GET /api/org/units lists other units: {', '.join(leaked)}")
    print(f"fuzz check: {checked} explicit requests for other units' data")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--har", required=True)
    args = parser.parse_args()
    unreadable, never_named = forbidden_slugs(args.user)
    if not unreadable:
        print("fuzz check: the user may read every unit; nothing to check", file=sys.stderr)
        return 1
    problems = check_har(args.har, never_named) + check_endpoints(args.base, args.token, unreadable)
    for problem in problems:
        print("LEAK:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
