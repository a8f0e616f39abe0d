// Learning-rate multipliers as functions of budget progress: the budget triangle, cosine and
// linear decay with warm-up.
#include "dac/schedules.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dac {
namespace {

// t clamped to [0, 1]; NaN counts as 0.
double clamp_progress(double t) {
  if (!(t > 0)) return 0.0;
  return std::min(t, 1.0);
}

// Whether t is still on the linear warm-up ramp.
bool in_warmup(double t, double warmup) {
  return warmup > 0 && t < warmup;
}

// Progress through the decay phase after warm-up, in [0, 1].
double decay_progress(double t, double warmup) {
  if (warmup <= 0) return t;
  if (warmup >= 1) return 1.0;
  return std::clamp((t - warmup) / (1.0 - warmup), 0.0, 1.0);
}

}  // namespace

double triangle_multiplier(double t, double start, double peak_at) {
  t = clamp_progress(t);
  const double rise = peak_at > 0 ? start + (1.0 - start) * t / peak_at : 1.0;
  const double fall = peak_at < 1 ? (1.0 - t) / (1.0 - peak_at) : 1.0;
  return std::max(0.0, std::min(rise, fall));
}

double cosine_multiplier(double t, double warmup, double floor) {
  t = clamp_progress(t);
  if (in_warmup(t, warmup)) return t / warmup;
  const double p = decay_progress(t, warmup);
  const double value = floor + (1.0 - floor) * 0.5 * (1.0 + std::cos(std::numbers::pi * p));
  return std::max(0.0, value);
}

double linear_multiplier(double t, double warmup) {
  t = clamp_progress(t);
  if (in_warmup(t, warmup)) return t / warmup;
  return std::max(0.0, 1.0 - decay_progress(t, warmup));
}

}  // namespace dac
