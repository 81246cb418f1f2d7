"""Signed documents (电子证明): checking a PAdES-signed PDF against the terminal's trust anchors before it is
printed (`verify`), and loading those anchors from PEM files (`anchors`). Qt-free; docs/signed-documents.md
states what is checked and what a document must carry."""
