"""Shared kernel: domain errors, the acting party, the audit log, the clock, uploads."""
