"""The provincial platform: the HTTP client, its typed answers and errors, the sync engine that delivers
the outbox exactly once, its schedule, and help requests waiting for a heartbeat.

Below the resident's services and the technician's tools; independent of the devices.
"""
