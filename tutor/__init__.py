"""tutor: an offline terminal-and-voice tutor for rural e-commerce skills."""

__version__ = "0.1.0"
