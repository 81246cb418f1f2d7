"""SQLite store of the kiosk: catalogue and search, outbox, sync state. No Qt, nothing of ours."""
