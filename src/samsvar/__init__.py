"""samsvar: an electronic quality management system for MDR/IVDR manufacturers."""

__version__ = "0.1.0"
