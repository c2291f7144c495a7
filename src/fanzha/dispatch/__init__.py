"""Dispatch: the ladder of dissuasion channels (SMS, 96110 call, visit, family), staged in the warning's
transaction; delivery is a job (`jobs/sms/`)."""
