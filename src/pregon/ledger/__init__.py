"""Transparency log core: RFC 9162 Merkle tree, RFC 8785 canonical JSON, C2SP signed checkpoints.

The modules in this package are framework-free on purpose: citizens, auditors and other
instances verify the log with exactly this code, without Django or a database.
"""
