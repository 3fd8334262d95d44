"""The site's own logic: posts, listings, calculator pages, texts, policy and packaging.

It knows nothing of MkDocs events: the adapters in `hooks/` call it. Imports
point one way, hooks -> kennisbank -> calculators (tests/test_layers.py).
"""
