"""clerk-advisor: an architecture advisor and configuration generator for Clerk."""

__version__ = "0.1.0"
