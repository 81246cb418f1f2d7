"""Who the resident is: a card read from whichever reader holds it, turned into a `Resident`.

The one place where a card becomes an identity. Used by the resident's services and the technician's tools.
"""
