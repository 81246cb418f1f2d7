"""The constants of the HTTP contract in docs/platform-api.md, as the reference platform checks them.

The kiosk has its own copy (kiosk/platform/models.py): the two packages may not import each other, and the
contract document is what both follow.
"""

from __future__ import annotations

import re

API_PREFIX = "/api/v1"

CASE_STATUSES = ("received", "accepted", "in_progress", "completed", "rejected")
FINAL_CASE_STATUSES = frozenset({"completed", "rejected"})
# The order a case moves forward in; `rejected` may follow any status that is not final.
CASE_STATUS_RANK = {"received": 0, "accepted": 1, "in_progress": 2, "completed": 3}

# The national five grades (好差评), as codes 5..1.
GRADES = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
CHANNELS = ("onsite", "online")
INDICATORS = {
    "onsite": ("overall", "efficiency", "competence", "attitude"),
    "online": ("overall", "efficiency", "guide_accuracy", "convenience", "usability"),
}

DELIVERY_METHODS = ("pickup", "express", "electronic")
DEVICE_STATES = ("ok", "busy", "degraded", "offline", "not_configured", "unknown")

# The identifiers of the contract's "Identifiers" table. Patterns are used with fullmatch: `$` would let a
# trailing newline through.
SHA256_RE = re.compile(r"[0-9a-f]{64}")
TERMINAL_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# A case or local receipt number: opaque, compared exactly (never case-folded).
NUMBER_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
DEVICE_KIND_RE = re.compile(r"[a-z0-9_]{1,32}")
# RFC 3339 date-time in the one form the contract allows (upper-case T and Z, 1-9 fraction digits).
TIMESTAMP_RE = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})T(?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.(?P<fraction>[0-9]{1,9}))?"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2})"
)
MAX_DEVICE_DETAIL = 500

MAX_JSON_BYTES = 2 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024
MAX_ATTACHMENTS_PER_SUBMISSION = 200

# -- electronic licences and certificates (docs/platform-api.md, "Electronic licences and certificates") ----

# The unified social credit code's alphabet (GB 32100): digits and capitals without I, O, S, V, Z.
_USCC = "[0-9A-HJ-NPQRTUWXY]"
# A licence type code after GB/T 36902: the defining department's 18-character code and a 3-digit sequence.
TYPE_CODE_RE = re.compile(f"{_USCC}{{18}}[0-9]{{3}}")
ISSUER_CODE_RE = re.compile(f"{_USCC}{{18}}")
LICENCE_ID_PREFIX = "1.2.156.3005.2"
# A licence identifier after GB/T 36904; its check character is verified by validation.licence_id_ok.
LICENCE_ID_RE = re.compile(
    r"1\.2\.156\.3005\.2\."
    f"(?P<type>{_USCC}{{18}}[0-9]{{3}})\\.(?P<issuer>{_USCC}{{18}})\\."
    r"(?P<serial>[0-9A-Z]{1,32})\.(?P<version>[0-9]{3})\.(?P<check>[0-9A-Z])"
)
# 公民身份号码 (and the numbers built like it), or the 2017 foreigner's permanent residence card's number.
ID_NUMBER_RE = re.compile(r"[0-9]{17}[0-9X]|[A-Z]{3}[0-9]{12}")
VERIFICATION_CODE_RE = re.compile(r"[0-9A-Z]{8,32}")
CONSENT_SCOPES = ("all", "list")
CONSENT_GIVERS = ("resident", "technician")
LICENCE_STATUSES = ("valid", "expired", "revoked")
DOCUMENT_FORMATS = ("pdf",)
ORIGINAL_FORMATS = ("pdf", "ofd")
MAX_SCOPE_TYPES = 50
MAX_HOLDER_NAME = 100
MAX_PURPOSE = 200
# A consent covers one visit: requests that read with it must come within this long after it was given.
CONSENT_MAX_AGE_S = 30 * 60
CONSENT_MAX_AHEAD_S = 5 * 60
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_LICENCES_PER_ANSWER = 200
MAX_OFFERS_PER_ANSWER = 100
