"""One module per kind of document the cycle writes; ``documents.builders`` is their registry."""
