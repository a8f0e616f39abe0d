// Learning-rate multipliers as functions of budget progress t in [0, 1]; the lr_schedule plugins
// wrap these.
#pragma once

namespace dac {

// The Crammed BERT "budget triangle": min(start + (1 − start) · t / peak_at, (1 − t) / (1 −
// peak_at)), clamped at 0. With start 0.25 and peak_at 0.75 it is min(0.25 + t, 4 · (1 − t)).
double triangle_multiplier(double t, double start = 0.25, double peak_at = 0.75);
// Linear warm-up from 0 to 1 over [0, warmup], then cosine decay to `floor` at t = 1.
double cosine_multiplier(double t, double warmup = 0.1, double floor = 0.0);
// Linear warm-up over [0, warmup], then linear decay to 0 at t = 1.
double linear_multiplier(double t, double warmup = 0.1);

}  // namespace dac
