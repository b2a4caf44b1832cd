"""The team archive: one team's annotations as a JSON file an admin writes with
``manage.py export_team`` (``archive_export.py``) and reads back with ``manage.py import_team``
(``archive_import.py``, re-anchoring each highlight by its quote). Not the *site backup* (the whole
database, ``manage.py backup``).

Both modules use Django; import them explicitly. Nothing is imported here.
"""
