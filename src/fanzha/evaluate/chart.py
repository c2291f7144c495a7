"""The evaluation as a PNG: the three runs side by side, and the platform's threshold trade-off curve.

Drawn with matplotlib's object API (a bare `Figure` renders through Agg), so no display and no global
pyplot state are involved. Labels are English on purpose: CJK fonts may be missing where the chart is
drawn, and boxes help nobody.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from fanzha.evaluate.suite import SuiteResult

LABELS = {"platform": "platform", "blacklist_only": "blacklist only", "upstream_only": "upstream push only"}
COLOURS = {"platform": "#c0392b", "blacklist_only": "#7f8c8d", "upstream_only": "#2980b9"}
METRICS = (
    ("share_warned_before_loss", "victims warned\nbefore first loss"),
    ("precision", "warning precision\n(real fraud)"),
    ("prevented_share", "loss prevented\n(of no-platform loss)"),
)


def write_chart(result: SuiteResult, path: Path, title: str) -> Path:
    """Draw the comparison bars and the trade-off curve into `path` (PNG)."""
    fig = Figure(figsize=(13, 5.2))
    bars, curve = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
    _bars(bars, result)
    _curve(curve, result)
    fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    return path


def _bars(ax: Axes, result: SuiteResult) -> None:
    names = list(result.reports)
    width = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        overall = result.reports[name].overall
        values = [getattr(overall, attr) or 0.0 for attr, _ in METRICS]
        xs = [m + (i - (len(names) - 1) / 2) * width for m in range(len(METRICS))]
        drawn = ax.bar(
            xs, [100 * v for v in values], width, label=LABELS.get(name, name), color=COLOURS.get(name)
        )
        ax.bar_label(drawn, labels=[f"{100 * v:.0f}%" for v in values], fontsize=8, padding=2)
    ax.set_xticks(range(len(METRICS)), [label for _, label in METRICS], fontsize=9)
    ax.set_ylim(0, 112)
    ax.set_ylabel("percent")
    ax.set_title("Closed loop: platform vs baselines (same stream, same officers)", fontsize=10)
    ax.legend(fontsize=8, loc="upper right")


def _curve(ax: Axes, result: SuiteResult) -> None:
    points = [p for p in result.curve if p.precision is not None and p.share_warned_before_loss is not None]
    xs = [100 * (p.share_warned_before_loss or 0.0) for p in points]
    ys = [100 * (p.precision or 0.0) for p in points]
    ax.plot(xs, ys, "o-", color=COLOURS["platform"], label="platform, by warn-score threshold")
    # Neighbouring thresholds whose points nearly coincide share one label ("55-70").
    groups: list[tuple[float, float, list[int]]] = []
    for p, x, y in zip(points, xs, ys, strict=True):
        if groups and abs(groups[-1][0] - x) < 3 and abs(groups[-1][1] - y) < 3:
            groups[-1][2].append(p.threshold)
        else:
            groups.append((x, y, [p.threshold]))
    for x, y, thresholds in groups:
        text = str(thresholds[0]) if len(thresholds) == 1 else f"{thresholds[0]}-{thresholds[-1]}"
        ax.annotate(text, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7)
    for name, marker in (("blacklist_only", "s"), ("upstream_only", "^")):
        if name in result.reports:
            overall = result.reports[name].overall
            x = 100 * (overall.share_warned_before_loss or 0.0)
            y = 100 * (overall.precision or 0.0)
            ax.plot([x], [y], marker, color=COLOURS[name], label=LABELS[name], markersize=9, alpha=0.8)
    ax.set_xlim(-3, 103)
    ax.set_ylim(-3, 103)
    ax.set_xlabel("victims warned before first loss (%)")
    ax.set_ylabel("warning precision (%)")
    ax.set_title("Trade-off over warn-score thresholds (labels: threshold)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
