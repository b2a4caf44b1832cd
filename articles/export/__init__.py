"""Exports of what one reader may see: Markdown, CSV and W3C Web Annotation JSON-LD.

The formatters here are pure (no database, no requests): they take the frozen dataclasses of
``types.py``, which ``articles.selectors.export`` builds in a fixed number of queries through the
``visible_to`` filters. The admin's team archive (a whole team's annotations) is a different thing: ``articles.backup``.
"""
