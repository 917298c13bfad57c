"""Buyers, suppliers (with their scale and characteristics), oversight bodies and API keys."""
