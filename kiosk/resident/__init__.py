"""The resident's services, without Qt: guides, forms, the declaration and its materials, capture, print
jobs, progress, ratings, and the session that decides when everything personal is forgotten.

Independent of the technician's tools.
"""
