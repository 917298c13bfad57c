"""The commands that run the whole site: `pregon serve` (the web server, the task worker and
the transparency log's witness loop) and `pregon openapi` (the API's committed document).

An entry point like `pregon.urls` and `pregon.api`: it may import every app, nothing imports it.
"""
