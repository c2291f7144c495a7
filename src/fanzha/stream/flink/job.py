"""The PyFlink job: the same detectors and scoring as the embedded runner, on Flink's keyed state.

Runs inside the Flink environment (`.venv-flink`, `python -m fanzha.stream.flink.job ...`); `launch.py`
starts it. The graph, with where the order comes from (see `eventtime`):

    ticks ─▶ intake (1) ─▶ timestamps+watermarks (1) ─▶ route (N) ─▶ keyBy subject ─▶ detect (N)
                                                                   ─▶ keyBy shard ─▶ store sink (N)

- intake: reads the watched parts in chunks (one per tick), validates, stamps each record with its
  sequence and sort time; cursor, finished parts and stamper live in its keyed state (one key).
- route: resolves the subject (directory) and sends each event to its subject and, for a transfer to a
  resident, to the payee (`keyed.routes`).
- detect: buffers events in MapState until the watermark passes their sort time (an event-time timer),
  then runs `pipeline.evaluate` over the subject's MapState (`keyed.process`); cleanup timers drop
  expired keys once no late event can still read them.
- sink: batches rows in ListState (so a checkpoint holds what is not yet written) and writes them with
  `sink.StoreSink` when a batch is full, after a second, and at the end of input.
"""

from __future__ import annotations

import importlib
import io
import logging
import pickle
import sys
import time
import zlib
from collections.abc import Generator, Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from pyflink.common import Configuration, Duration, Types, WatermarkStrategy
from pyflink.common.time import Time
from pyflink.common.watermark_strategy import TimestampAssigner
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.connectors.base import Sink
from pyflink.datastream.connectors.file_system import FileSource, StreamFormat
from pyflink.datastream.connectors.number_seq import NumberSequenceSource
from pyflink.datastream.functions import FlatMapFunction, KeyedProcessFunction, RuntimeContext
from pyflink.datastream.state import (
    ListStateDescriptor,
    MapStateDescriptor,
    StateTtlConfig,
    ValueStateDescriptor,
)
from pyflink.java_gateway import get_gateway

from fanzha.detection.state import TIMER_RESOLUTION, timer_bucket
from fanzha.event.parse import Rejection
from fanzha.pipeline import PipelineContext
from fanzha.store.engine import make_engine
from fanzha.stream.flink.eventtime import Stamper, Verdict, stamp_parsed, to_ms
from fanzha.stream.flink.intake import Cursor, next_part, read_chunk
from fanzha.stream.flink.jobconfig import JobConfig, flink_settings, parse_args
from fanzha.stream.flink.keyed import Role, process, routes
from fanzha.stream.flink.reference import load_context, parse_record, too_late
from fanzha.stream.flink.sink import Decided, StoreSink
from fanzha.stream.snapshot import _StateUnpickler

_EPOCH_MS = to_ms(datetime(2000, 1, 1, tzinfo=UTC))  # the epoch of `detection.state` timer buckets
_RES_MS = TIMER_RESOLUTION // timedelta(milliseconds=1)
MAX_TS = 2**63 - 2
_log = logging.getLogger("fanzha.flink")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@cache
def _context(database_url: str) -> PipelineContext:
    """One context per Python interpreter (thread mode runs every subtask in one)."""
    return load_context(make_engine(database_url))


def _cleanup_ms(bucket: int, lateness_ms: int) -> int:
    """When a key of this expiry bucket can be dropped: no event still to come can read it."""
    return _EPOCH_MS + bucket * _RES_MS + lateness_ms


def _shard(key: str, shards: int) -> str:
    return f"s{zlib.crc32(key.encode()) % shards}"


def _loads(data: bytes) -> Any:
    return _StateUnpickler(io.BytesIO(data)).load()


class Intake(KeyedProcessFunction):  # type: ignore[misc]
    """Reads the parts. A bounded run reads one chunk per tick; a watched run gets a single tick and
    then drives itself with processing-time timers (at once while there is data, every `poll_seconds`
    when there is none), so no queue of ticks stands between a checkpoint barrier and the intake."""

    def __init__(self, cfg: JobConfig) -> None:
        self.cfg = cfg

    def open(self, runtime_context: RuntimeContext) -> None:
        self.cursor = runtime_context.get_state(ValueStateDescriptor("cursor", Types.PICKLED_BYTE_ARRAY()))
        self.stamper = runtime_context.get_state(ValueStateDescriptor("stamper", Types.PICKLED_BYTE_ARRAY()))
        self.done = runtime_context.get_map_state(MapStateDescriptor("done", Types.STRING(), Types.BOOLEAN()))
        self.driving = runtime_context.get_state(ValueStateDescriptor("driving", Types.BOOLEAN()))

    def process_element(self, value: Any, ctx: KeyedProcessFunction.Context) -> Iterator[Any]:
        if self.cfg.bounded:
            read = yield from self._read()
            if self.cfg.max_rate > 0:
                time.sleep(read / self.cfg.max_rate)
        elif not self.driving.value():
            self.driving.update(True)
            timers = ctx.timer_service()
            timers.register_processing_time_timer(timers.current_processing_time())

    def on_timer(self, timestamp: int, ctx: KeyedProcessFunction.OnTimerContext) -> Iterator[Any]:
        read = yield from self._read()
        pause = self.cfg.poll_seconds if read < 0 else (read / self.cfg.max_rate if self.cfg.max_rate else 0)
        timers = ctx.timer_service()
        timers.register_processing_time_timer(timers.current_processing_time() + int(pause * 1000) + 1)

    def _read(self) -> Generator[Any, None, int]:
        """Emit the next chunk; returns how many records it held (-1: no part to read)."""
        cursor: Cursor | None = self.cursor.value()
        if cursor is None:
            name = next_part(self.cfg.source, set(self.done.keys()))
            if name is None:
                return -1
            cursor = Cursor(name)
        records, cursor, finished = read_chunk(self.cfg.source, cursor, self.cfg.chunk)
        seq, max_ms = self.stamper.value() or (0, Stamper(self.cfg.policy).max_ms)
        stamper = Stamper(self.cfg.policy, seq=seq, max_ms=max_ms)
        for record in records:
            parsed = parse_record(record)
            stamp = stamp_parsed(stamper, parsed)
            if isinstance(parsed, Rejection):
                yield ("dead", stamp.sort_ms, stamp.seq, parsed)
            elif stamp.verdict is Verdict.TOO_LATE:
                yield ("dead", stamp.sort_ms, stamp.seq, too_late(record))
            else:
                yield ("event", stamp.sort_ms, stamp.seq, parsed)
        self.stamper.update((stamper.seq, stamper.max_ms))
        if finished:
            self.done.put(cursor.name, True)
            self.cursor.clear()
        else:
            self.cursor.update(cursor)
        return len(records)


class SortTime(TimestampAssigner):  # type: ignore[misc]
    def extract_timestamp(self, value: Any, record_timestamp: int) -> int:
        return int(value[1])


class Route(FlatMapFunction):  # type: ignore[misc]
    def __init__(self, cfg: JobConfig) -> None:
        self.cfg = cfg

    def open(self, runtime_context: RuntimeContext) -> None:
        self.ctx = _context(self.cfg.database_url)

    def flat_map(self, value: Any) -> Iterator[Any]:
        kind, sort_ms, seq, payload = value
        if kind == "dead":
            yield (f"~dead{seq % self.cfg.shards}", "dead", sort_ms, seq, payload)
            return
        for key, role in routes(payload, self.ctx):
            yield (key, role.value, sort_ms, seq, payload)


class _Backend:
    """`keyed.Backend` over the subject's MapState: (expiry bucket or -1, the pickled value), the value
    read back with the snapshot loader that admits only the pure core's value types."""

    def __init__(self, values: Any) -> None:
        self.values = values

    def load(self, key: str) -> tuple[object, int | None] | None:
        found = self.values.get(key)
        if found is None:
            return None
        bucket, data = found
        return _loads(data), (None if bucket < 0 else bucket)

    def store(self, key: str, value: object, bucket: int | None) -> None:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.values.put(key, (-1 if bucket is None else bucket, data))

    def remove(self, key: str) -> None:
        self.values.remove(key)


class Detect(KeyedProcessFunction):  # type: ignore[misc]
    def __init__(self, cfg: JobConfig) -> None:
        self.cfg = cfg
        self.lateness_ms = int(cfg.lateness_s * 1000)

    def open(self, runtime_context: RuntimeContext) -> None:
        self.ctx = _context(self.cfg.database_url)
        self.pending = runtime_context.get_map_state(
            MapStateDescriptor("pending", Types.LONG(), Types.PICKLED_BYTE_ARRAY())
        )
        values = MapStateDescriptor("values", Types.STRING(), Types.PICKLED_BYTE_ARRAY())
        if self.cfg.state_ttl_days > 0:
            # Expiry is the detectors' event-time timers; this only bounds state that a bug or a clock
            # far in the future would keep forever, cleaned during RocksDB compaction.
            ttl = Time.milliseconds(int(self.cfg.state_ttl_days * 86_400_000))
            values.enable_time_to_live(
                StateTtlConfig.new_builder(ttl).cleanup_in_rocksdb_compact_filter(1000).build()
            )
        self.values = runtime_context.get_map_state(values)
        self.seen = runtime_context.get_map_state(MapStateDescriptor("seen", Types.STRING(), Types.LONG()))
        self.backend = _Backend(self.values)

    def process_element(self, value: Any, ctx: KeyedProcessFunction.Context) -> Iterator[Any]:
        key, role, sort_ms, seq, payload = value
        if role == "dead":
            yield (_shard(key, self.cfg.shards), payload)
            return
        if sort_ms <= ctx.timer_service().current_watermark():
            # Cannot happen with the intake's stamps (see eventtime); processed at once rather than lost.
            yield from self._run(key, [(sort_ms, seq, role, payload)], ctx)
            return
        waiting = self.pending.get(sort_ms) or []
        waiting.append((sort_ms, seq, role, payload))
        self.pending.put(sort_ms, waiting)
        ctx.timer_service().register_event_time_timer(sort_ms)

    def on_timer(self, timestamp: int, ctx: KeyedProcessFunction.OnTimerContext) -> Iterator[Any]:
        key = ctx.get_current_key()
        waiting = self.pending.get(timestamp)
        if waiting:
            self.pending.remove(timestamp)
            yield from self._run(key, sorted(waiting, key=lambda w: (w[1], w[2])), ctx)
        if (timestamp - self.lateness_ms - _EPOCH_MS) % _RES_MS == 0:
            self._cleanup(timestamp)

    def _run(self, key: str, items: list[tuple[int, int, str, Any]], ctx: Any) -> Iterator[Any]:
        timers = ctx.timer_service()
        horizon = timedelta(hours=self.cfg.dedup_hours)
        for sort_ms, _seq, role, event in items:
            seen_key = f"{role}:{event.event_id}"
            if self.seen.contains(seen_key):
                continue
            if horizon:
                until = _cleanup_ms(timer_bucket(event.occurred_at + horizon), self.lateness_ms)
                self.seen.put(seen_key, until)
                timers.register_event_time_timer(until)
            try:
                now = _EPOCH + timedelta(milliseconds=sort_ms)
                outcome = process(event, Role(role), key, self.backend, self.ctx, now=now)
            except Exception as exc:
                _log.exception("event %s failed at its worker", event.event_id)
                error = f"processing failed: {type(exc).__name__}"
                failed = Rejection(f"event {event.event_id}", error, event.model_dump_json())
                yield (_shard(key, self.cfg.shards), failed)
                continue
            for bucket in outcome.buckets:
                timers.register_event_time_timer(_cleanup_ms(bucket, self.lateness_ms))
            if outcome.evaluation is not None:
                yield (_shard(key, self.cfg.shards), Decided(event, outcome.evaluation))

    def _cleanup(self, timestamp: int) -> None:
        gone = [
            k
            for k, (bucket, _data) in self.values.items()
            if bucket >= 0 and _cleanup_ms(bucket, self.lateness_ms) <= timestamp
        ]
        for k in gone:
            self.values.remove(k)
        for k in [k for k, until in self.seen.items() if until <= timestamp]:
            self.seen.remove(k)


class StoreWriter(KeyedProcessFunction):  # type: ignore[misc]
    def __init__(self, cfg: JobConfig) -> None:
        self.cfg = cfg

    def open(self, runtime_context: RuntimeContext) -> None:
        self.rows = runtime_context.get_list_state(ListStateDescriptor("rows", Types.PICKLED_BYTE_ARRAY()))
        self.count = runtime_context.get_state(ValueStateDescriptor("count", Types.INT()))
        self.sink = StoreSink(
            make_engine(self.cfg.database_url), _context(self.cfg.database_url), str(self.cfg.source)
        )

    def process_element(self, value: Any, ctx: KeyedProcessFunction.Context) -> Iterator[Any]:
        self.rows.add(value[1])
        count = (self.count.value() or 0) + 1
        self.count.update(count)
        if count == 1:
            timers = ctx.timer_service()
            timers.register_processing_time_timer(timers.current_processing_time() + self.cfg.sink_flush_ms)
            timers.register_event_time_timer(MAX_TS)
        if count >= self.cfg.sink_batch:
            self._flush()
        return iter(())

    def on_timer(self, timestamp: int, ctx: KeyedProcessFunction.OnTimerContext) -> Iterator[Any]:
        self._flush()
        return iter(())

    def _flush(self) -> None:
        if not self.count.value():
            return
        self.sink.write(list(self.rows.get()))
        self.rows.clear()
        self.count.clear()


def configuration(cfg: JobConfig) -> Configuration:
    conf = Configuration()
    for name, value in flink_settings(cfg, sys.executable).items():
        conf.set_string(name, value)
    return conf


def _keep_alive(env: StreamExecutionEnvironment, cfg: JobConfig) -> Any:
    """A source that never emits and never ends (a watched empty directory): it keeps a watched run's
    job alive while the intake drives itself with timers."""
    empty = cfg.state_dir / "keep-alive"
    empty.mkdir(parents=True, exist_ok=True)
    source = (
        FileSource.for_record_stream_format(StreamFormat.text_line_format(), str(empty.resolve()))
        .monitor_continuously(Duration.of_seconds(3600))
        .build()
    )
    idle = env.from_source(source, WatermarkStrategy.no_watermarks(), "keep-alive").set_parallelism(1)
    return idle.uid("keep-alive").map(lambda _: 0, output_type=Types.LONG()).set_parallelism(1).uid("idle")


def build(cfg: JobConfig) -> StreamExecutionEnvironment:
    (cfg.state_dir / "tmp").mkdir(parents=True, exist_ok=True)
    env = StreamExecutionEnvironment.get_execution_environment(configuration(cfg))
    env.set_parallelism(cfg.parallelism)
    ticks = env.from_source(
        NumberSequenceSource(1, cfg.ticks if cfg.bounded else 1), WatermarkStrategy.no_watermarks(), "ticks"
    )
    ticks = ticks.set_parallelism(1).uid("ticks")
    if not cfg.bounded:
        ticks = ticks.union(_keep_alive(env, cfg))
    records = (
        ticks.key_by(lambda _: 0, key_type=Types.INT())
        .process(Intake(cfg))
        .set_parallelism(1)
        .uid("intake")
        .name("intake")
    )
    strategy = WatermarkStrategy.for_bounded_out_of_orderness(
        Duration.of_millis(cfg.policy.bound_ms)
    ).with_timestamp_assigner(SortTime())
    stamped = records.assign_timestamps_and_watermarks(strategy).set_parallelism(1).uid("watermarks")
    routed = stamped.flat_map(Route(cfg)).uid("route").name("route")
    decided = (
        routed.key_by(lambda r: r[0], key_type=Types.STRING())
        .process(Detect(cfg))
        .uid("detect")
        .name("detect")
    )
    written = (
        decided.key_by(lambda r: r[0], key_type=Types.STRING())
        .process(StoreWriter(cfg))
        .uid("store")
        .name("store")
    )
    discard = get_gateway().jvm.org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink()
    written.sink_to(Sink(discard)).uid("discard")
    return env


def main(argv: list[str] | None = None) -> None:
    cfg = parse_args(sys.argv[1:] if argv is None else argv)
    build(cfg).execute("fanzha-detect")


if __name__ == "__main__":
    # Run the module under its import name, so the functions Flink pickles refer to
    # `fanzha.stream.flink.job` (which the workers import), not to `__main__`.
    importlib.import_module("fanzha.stream.flink.job").main()
