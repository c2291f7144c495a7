"""The scale-out runner on Apache Flink (docs/scale-out.md).

`eventtime` (the order events are processed in, and the late-event policy) and `keyed` (detector state
scoped to the subject that owns it) are plain Python that both runners share; `reference` drives the
embedded runner in that order; `sink` writes what the workers decided into the store; `job` is the PyFlink
job (imported only inside the Flink environment, `.venv-flink`); `launch` starts it from the main one.
"""
