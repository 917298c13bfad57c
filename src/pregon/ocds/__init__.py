"""OCDS toolkit (placeholder)."""
