#!/usr/bin/env python3
"""Profiles training steps of the PyTorch reference Crammed BERT (ref_crammed.py) on CUDA and saves
the Chrome trace, to set beside `dacrun bench pretrain --profile` with tools/compare_traces.py:

  python3 tools/profile_reference.py REF_SCRIPT OUT.json [--batch 256] [--steps 3] [--compile]

It builds the model, optimizer and step exactly as the reference's main() does (TF32 matmuls,
bf16 autocast, backward, gradient clipping at 0.5, fused AdamW with betas (0.9, 0.98) and eps
1e-12, zero_grad(set_to_none=True)), runs 5 warm-up steps, then profiles --steps steps (CPU and
CUDA activities)."""
import argparse
import importlib.util

import torch


def load_reference(path):
    spec = importlib.util.spec_from_file_location("ref_crammed", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("script", help="path of ref_crammed.py")
    p.add_argument("out", help="Chrome trace JSON to write")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--steps", type=int, default=3, help="profiled steps (3)")
    p.add_argument("--layers", type=int, default=16)
    p.add_argument("--hidden", type=int, default=768)
    p.add_argument("--compile", action="store_true")
    a = p.parse_args()
    if a.steps < 1:
        p.error(f"--steps must be at least 1 (got {a.steps})")
    ref = load_reference(a.script)

    # As in the reference's main().
    torch.backends.cuda.matmul.allow_tf32 = True
    T, V = 128, 32768
    m = ref.CrammedBert(V, a.hidden, a.layers, a.hidden // 64, 4 * a.hidden, T).cuda()
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3, betas=(0.9, 0.98), eps=1e-12, fused=True)
    f = torch.compile(m) if a.compile else m
    ids = torch.randint(5, V, (a.batch, T), device="cuda")
    n_mask = a.batch * T // 4
    mask_pos = torch.randperm(a.batch * T, device="cuda")[:n_mask].sort().values
    labels = ids.flatten()[mask_pos]

    def step():
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = f(ids, mask_pos, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 0.5)
        opt.step()
        opt.zero_grad(set_to_none=True)

    for _ in range(5):
        step()
    torch.cuda.synchronize()
    activities = [torch.profiler.ProfilerActivity.CPU, torch.profiler.ProfilerActivity.CUDA]
    with torch.profiler.profile(activities=activities) as profile:
        for _ in range(a.steps):
            step()
        torch.cuda.synchronize()
    profile.export_chrome_trace(a.out)
    print(f"profile_reference: {a.steps} steps, batch {a.batch}, compile={a.compile}: {a.out}")


if __name__ == "__main__":
    main()
