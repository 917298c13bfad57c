"""MSME participation figures: who wins what share of contracts, bids, subcontracts and quick quotes, and how fast buyers pay."""
