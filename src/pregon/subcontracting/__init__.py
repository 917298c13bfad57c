"""Subcontracting opportunities posted by prime contractors and bidders, the answers of MSMEs, and the subcontracts recorded."""
