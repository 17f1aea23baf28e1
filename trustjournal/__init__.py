"""trustjournal: a private journal for rebuilding trust at work."""

__version__ = "0.1.0"
