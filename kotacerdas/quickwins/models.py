"""Quick wins."""
