"""The MDR, the IVDR and the standards as plain Python: no Django, no samsvar apps.

Every rule here is a pure function or a dataclass, tested without a database. An import-linter
contract (pyproject.toml) keeps it that way.
"""
