#!/usr/bin/env python3
"""Compares two profiler traces (Chrome trace JSON) step for step: ours, from
`dacrun bench pretrain --profile`, and a reference, e.g. from tools/profile_reference.py. Usage:

  tools/compare_traces.py OURS.json REFERENCE.json [--steps-ours 3] [--steps-ref 3] [--top 25]

It sums the time of each device kernel name (with memory copies and sets) per profiled step in
each trace, prints the totals, then the names whose time per step differs the most. When a trace
has no device work it compares CPU operators (cpu_op) by self time instead, and says so.
Python 3 standard library only."""
import argparse
import json
import sys
from collections import defaultdict

DEVICE_CATEGORIES = {"kernel", "gpu_memcpy", "gpu_memset", "memcpy", "memset"}
CPU_CATEGORIES = {"cpu_op", "operator"}
ROUNDING_US = 1e-3  # Kineto writes microseconds with three decimals


def load_spans(path):
    """The complete events ("ph": "X") of a trace as (category, name, thread, start, duration)."""
    try:
        with open(path, encoding="utf-8") as f:
            root = json.load(f)
    except (OSError, ValueError) as error:
        sys.exit(f"compare_traces: cannot read trace '{path}': {error}")
    events = root.get("traceEvents") if isinstance(root, dict) else root
    if not isinstance(events, list):
        sys.exit(f"compare_traces: trace '{path}' has no \"traceEvents\" array")
    spans = []
    for event in events:
        if not isinstance(event, dict) or event.get("ph") != "X":
            continue
        category, name = event.get("cat"), event.get("name")
        start, duration = event.get("ts"), event.get("dur")
        if not isinstance(category, str) or not isinstance(name, str):
            continue
        if not isinstance(start, (int, float)) or not isinstance(duration, (int, float)):
            continue
        thread = f"{event.get('pid')}/{event.get('tid')}"
        spans.append((category.lower(), name, thread, float(start), max(float(duration), 0.0)))
    return spans


def self_times(spans):
    """Each span's duration less those of the spans directly nested in it on the same thread."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][2], spans[i][3], -spans[i][4]))
    times = [0.0] * len(spans)
    open_spans = []
    for i in order:
        _, _, thread, start, duration = spans[i]
        times[i] = duration
        while open_spans:
            _, _, outer_thread, outer_start, outer_duration = spans[open_spans[-1]]
            if outer_thread == thread and start + duration <= outer_start + outer_duration + ROUNDING_US:
                break
            open_spans.pop()
        if open_spans:
            times[open_spans[-1]] -= duration
        open_spans.append(i)
    return [max(t, 0.0) for t in times]


def per_step(spans, device, steps):
    """{name: (microseconds per step, calls per step)} of device work or of CPU operators."""
    chosen = [s for s in spans if s[0] in (DEVICE_CATEGORIES if device else CPU_CATEGORIES)]
    times = [s[4] for s in chosen] if device else self_times(chosen)
    totals = defaultdict(lambda: [0.0, 0])
    for span, time in zip(chosen, times):
        totals[span[1]][0] += time
        totals[span[1]][1] += 1
    return {name: (us / steps, calls / steps) for name, (us, calls) in totals.items()}


def steps_text(steps):
    return f"{steps} step{'' if steps == 1 else 's'}"


def shorten(name, width):
    return name if len(name) <= width else name[: width - 3] + "..."


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ours", help="trace from dacrun bench pretrain --profile")
    parser.add_argument("reference", help="reference trace, e.g. from tools/profile_reference.py")
    parser.add_argument("--steps-ours", type=int, default=3, help="steps profiled in OURS (3)")
    parser.add_argument("--steps-ref", type=int, default=3, help="steps profiled in REFERENCE (3)")
    parser.add_argument("--top", type=int, default=25, help="names to list (25)")
    parser.add_argument("--name-width", type=int, default=100, help="characters of a name (100)")
    args = parser.parse_args()
    for option, value in (("--steps-ours", args.steps_ours), ("--steps-ref", args.steps_ref),
                          ("--top", args.top), ("--name-width", args.name_width)):
        if value < 1:
            parser.error(f"{option} must be at least 1 (got {value})")

    ours, reference = load_spans(args.ours), load_spans(args.reference)
    has_device = [any(s[0] in DEVICE_CATEGORIES for s in spans) for spans in (ours, reference)]
    device = all(has_device)
    if device:
        print("comparing device kernels, memcpy and memset: total time per step")
    else:
        if any(has_device):
            which = args.ours if not has_device[0] else args.reference
            print(f"note: '{which}' has no device kernel events; falling back to CPU operators")
        print("comparing CPU operators (cpu_op): self time per step")
    ours_steps = per_step(ours, device, args.steps_ours)
    ref_steps = per_step(reference, device, args.steps_ref)
    if not ours_steps or not ref_steps:
        empty = args.ours if not ours_steps else args.reference
        sys.exit(f"compare_traces: '{empty}' has no events of that kind")

    ours_total = sum(us for us, _ in ours_steps.values())
    ref_total = sum(us for us, _ in ref_steps.values())
    print(f"ours:      {ours_total:12.1f} us/step  {len(ours_steps):5d} names  "
          f"({steps_text(args.steps_ours)}, {args.ours})")
    print(f"reference: {ref_total:12.1f} us/step  {len(ref_steps):5d} names  "
          f"({steps_text(args.steps_ref)}, {args.reference})")
    ratio = f", ours/reference {ours_total / ref_total:.3f}" if ref_total > 0 else ""
    print(f"difference: {ours_total - ref_total:+.1f} us/step{ratio}")

    names = set(ours_steps) | set(ref_steps)
    rows = []
    for name in names:
        ours_us, ours_calls = ours_steps.get(name, (0.0, 0.0))
        ref_us, ref_calls = ref_steps.get(name, (0.0, 0.0))
        rows.append((ours_us - ref_us, ours_us, ref_us, ours_calls, ref_calls, name))
    rows.sort(key=lambda row: (-abs(row[0]), row[5]))
    print(f"\nlargest differences per step (ours - reference), top {min(args.top, len(rows))} "
          f"of {len(rows)} names:")
    print(f"{'diff us':>11} {'ours us':>11} {'ref us':>11} {'ours calls':>10} {'ref calls':>10}  name")
    for diff, ours_us, ref_us, ours_calls, ref_calls, name in rows[: args.top]:
        print(f"{diff:+11.1f} {ours_us:11.1f} {ref_us:11.1f} {ours_calls:10.1f} {ref_calls:10.1f}  "
              f"{shorten(name, args.name_width)}")


if __name__ == "__main__":
    main()
