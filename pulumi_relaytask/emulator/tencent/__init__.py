"""Tencent Live in the emulator: checks.py (input rules), backend.py (operations on the store), wire.py (HTTP)."""
