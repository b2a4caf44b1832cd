"""Writes: every function here runs in a transaction and is the only way data changes."""
