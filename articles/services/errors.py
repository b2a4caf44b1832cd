class ConflictError(Exception):
    """Someone else saved this object since it was loaded; the caller shows a conflict message."""
