"""The small package under every app: what the areas, the organisation tree and the shell all use.

Form fields that read Vietnamese numbers and dates, strict query parameters, the site's public address,
typed registries (home-page panels, demo steps), file downloads. It imports nothing of ours but the pure
rules (``friendlygov.rules``); the import contract in ``pyproject.toml`` keeps it so.
"""
