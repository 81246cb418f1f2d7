"""Device access: one interface per device kind, a real backend and a simulator each. No Qt, nothing of ours."""
