"""Large exports prepared by the background worker (placeholder, filled in below)."""
