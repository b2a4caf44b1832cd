"""Thin views, one module per resource."""
