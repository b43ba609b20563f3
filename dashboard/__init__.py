"""Balkan Watch: an offline dashboard of tagged news and dated events in the Western Balkans."""

__version__ = "0.1.0"
