"""Assistance pages. Each view: parse, reach the region through the access layer, check the
assistance act (``accounts.access.acts``), call a service or selector, render."""
