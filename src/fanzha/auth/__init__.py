"""Accounts and access: roles and their permissions, unit scope, passwords, tokens, lockout, retention.

Pure: the web layer and the CLI do the I/O; these modules decide.
"""
