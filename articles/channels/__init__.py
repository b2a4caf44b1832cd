"""Channels: the impure first step of the import pipeline. Each channel gets bytes from the world
(an upload, a feed, a mailbox, a link) and hands them, with what it knows about them
(:class:`articles.importer.SourceMeta`), to ``services.importing.import_source``."""
