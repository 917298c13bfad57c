"""Base templates, static assets and the shared pages of the public portal."""
