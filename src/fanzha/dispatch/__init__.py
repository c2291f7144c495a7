"""Dispatch: the ladder of dissuasion channels (SMS, 96110 call, visit, family) and their delivery."""
