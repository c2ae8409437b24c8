"""Assistance pages. Each view: parse, reach the region through the access layer, check the
assistance policy (``engagements.policy``), call a service or selector, render."""
