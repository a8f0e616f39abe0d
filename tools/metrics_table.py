#!/usr/bin/env python3
"""Prints a pretrain stage's metrics.jsonl as a table: one row per logged step (training loss,
learning rate, batch size, throughput, MFU, memory) with the validation loss where one was
measured, then the stage's totals from its end record.

Usage: tools/metrics_table.py runs/stages/pretrain-<hash>/metrics.jsonl
"""
import json
import sys


def read_records(path):
    records = []
    try:
        lines = open(path, encoding="utf-8")
    except OSError as error:
        sys.exit(f"{path}: cannot read: {error.strerror}")
    with lines:
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if not line:
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as error:
                sys.exit(f"{path}:{number}: not a JSON record: {error}")
    return records


def cell(record, key, form):
    value = record.get(key)
    return "" if value is None else form.format(value)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    records = read_records(sys.argv[1])
    rows = {}
    for record in records:
        if record.get("event") == "metrics" and "step" in record:
            rows.setdefault(record["step"], {}).update(record)
    columns = [("step", "step", "{}"), ("tokens", "tokens", "{:,}"),
               ("progress", "t", "{:.3f}"), ("lr", "lr", "{:.3g}"),
               ("batch_size", "batch", "{}"), ("loss", "loss", "{:.3f}"),
               ("validation_loss", "val loss", "{:.3f}"), ("tokens_per_s", "tokens/s", "{:.0f}"),
               ("mfu", "MFU", "{:.3f}"), ("memory_mb", "MB", "{:.0f}")]
    table = [[title for _, title, _ in columns]]
    for step in sorted(rows):
        table.append([cell(rows[step], key, form) for key, _, form in columns])
    widths = [max(len(row[i]) for row in table) for i in range(len(columns))]
    for row in table:
        print("  ".join(text.rjust(width) for text, width in zip(row, widths)))
    for record in records:
        if record.get("event") == "stage_end":
            print(f"{record.get('model')}, {record.get('parameters')} parameters on "
                  f"{record.get('device')}: {record.get('steps')} steps, "
                  f"{record.get('tokens')} tokens, {record.get('flops', float('nan')):.3g} FLOPs in "
                  f"{record.get('hours', 0) * 3600:.0f} s of training; "
                  f"{record.get('tokens_per_s', 0):.0f} tokens/s; train loss "
                  f"{record.get('train_loss', float('nan')):.3f}, validation loss "
                  f"{record.get('validation_loss', float('nan')):.3f}")


if __name__ == "__main__":
    main()
