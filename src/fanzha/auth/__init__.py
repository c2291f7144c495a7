"""Accounts and access: roles and their permissions, unit scope, passwords, tokens, lockout, retention
(pure policies), and the accounts' service, repository and read side. The edges commit."""
