"""Application core of the self-service kiosk: configuration, session, services, sync. Qt-free."""

__version__ = "0.1.0"
