"""Prevention (宣防): targeted publicity, special groups, publicity operations, the citizen self-check.

Pure: `model`, `targets` (+ `config/targets.yaml`, versioned), `config` (+ `config/prevention.yaml`),
`audience`, `lifecycle`, `special`, `figures`, `board`, `lookup`, `throttle`, `records_csv`, `labels`.
Services (never commit): `service` (campaigns, visits, opt-outs, the special-groups sweep), `records`
(publicity records in), `public` (self-check, reports, review). SQL: `repository`, `records_repository`.
Read models: `queries`.
"""
