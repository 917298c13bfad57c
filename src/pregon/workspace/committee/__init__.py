"""A committee member's own pages: their opening key."""
