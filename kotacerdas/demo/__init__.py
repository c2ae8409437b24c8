"""The demo: Kota Solok from public facts, plus a second region so that isolation is visible.

Everything not in ../shared/domain/solok.md is invented and stored with ``is_sample=True`` so the
UI marks it. Loading twice changes nothing: a region already present is left as it is.
"""
