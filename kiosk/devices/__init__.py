"""The attached devices as the kiosk runs them: the manager (build, watch, reconnect), discovery for the
setup screen, the card watch, and which services each device gates.

Uses the drivers; knows nothing of the platform, the resident's services or the screens.
"""
