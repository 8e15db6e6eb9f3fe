"""metricloop: a chat-first metrics assistant."""
__version__ = "0.1.0"
