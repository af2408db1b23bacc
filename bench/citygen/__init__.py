"""The steps of the city generator (``bench/generate.py`` runs them), one module per area."""
