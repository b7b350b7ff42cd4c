"""Core: what every other layer builds on.

Errors written for people, validated tables, and the learner's workspace (atomic files,
portable locking, saved records). Imports nothing else from ``pspo_lab``.
"""
