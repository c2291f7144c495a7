"""The bank adapter: instructions out, answers in, in the versioned format of docs/bank-protocol.md."""
