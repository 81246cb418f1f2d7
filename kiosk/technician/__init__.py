"""The technician's tools, without Qt: the PIN and its lockout, the setup screen's save and apply, the
config file writer, device tests, the outbox administration, the audit log and the support export.

Independent of the resident's services.
"""
