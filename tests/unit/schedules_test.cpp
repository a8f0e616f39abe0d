// Tests of the learning-rate multipliers: the budget triangle, cosine and linear decay.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "dac/schedules.hpp"

namespace {

TEST(ScheduleTriangle, RecipeValues) {
  EXPECT_DOUBLE_EQ(dac::triangle_multiplier(0.0), 0.25);
  EXPECT_DOUBLE_EQ(dac::triangle_multiplier(0.5), 0.75);
  EXPECT_DOUBLE_EQ(dac::triangle_multiplier(0.75), 1.0);
  EXPECT_DOUBLE_EQ(dac::triangle_multiplier(0.9), 0.4);
  EXPECT_DOUBLE_EQ(dac::triangle_multiplier(1.0), 0.0);
}

TEST(ScheduleTriangle, EqualsTheRecipeFormula) {
  for (int i = 0; i <= 100; ++i) {
    const double t = i / 100.0;
    EXPECT_NEAR(dac::triangle_multiplier(t), std::min(0.25 + t, 4 * (1 - t)), 1e-12) << t;
  }
}

TEST(ScheduleTriangle, ClampsProgress) {
  EXPECT_DOUBLE_EQ(dac::triangle_multiplier(-0.5), 0.25);
  EXPECT_DOUBLE_EQ(dac::triangle_multiplier(1.5), 0.0);
  EXPECT_DOUBLE_EQ(dac::triangle_multiplier(std::numeric_limits<double>::quiet_NaN()), 0.25);
}

TEST(ScheduleTriangle, OtherShapes) {
  // Start at 0, peak half-way: a symmetric triangle.
  EXPECT_DOUBLE_EQ(dac::triangle_multiplier(0.0, 0.0, 0.5), 0.0);
  EXPECT_DOUBLE_EQ(dac::triangle_multiplier(0.25, 0.0, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(dac::triangle_multiplier(0.5, 0.0, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(dac::triangle_multiplier(0.75, 0.0, 0.5), 0.5);
}

TEST(ScheduleCosine, WarmupThenDecay) {
  const double warmup = 0.1;
  EXPECT_DOUBLE_EQ(dac::cosine_multiplier(0.0, warmup), 0.0);
  EXPECT_DOUBLE_EQ(dac::cosine_multiplier(warmup / 2, warmup), 0.5);
  EXPECT_DOUBLE_EQ(dac::cosine_multiplier(warmup, warmup), 1.0);
  EXPECT_NEAR(dac::cosine_multiplier(0.55, warmup), 0.5, 1e-12);  // half-way through the decay
  EXPECT_NEAR(dac::cosine_multiplier(1.0, warmup), 0.0, 1e-12);
}

TEST(ScheduleCosine, FloorAndNoWarmup) {
  EXPECT_DOUBLE_EQ(dac::cosine_multiplier(0.0, 0.0), 1.0);
  EXPECT_NEAR(dac::cosine_multiplier(0.5, 0.0), 0.5, 1e-12);
  EXPECT_NEAR(dac::cosine_multiplier(1.0, 0.0, 0.1), 0.1, 1e-12);
  EXPECT_NEAR(dac::cosine_multiplier(0.5, 0.0, 0.1), 0.55, 1e-12);
  EXPECT_NEAR(dac::cosine_multiplier(2.0, 0.0, 0.1), 0.1, 1e-12);
}

TEST(ScheduleLinear, WarmupThenDecay) {
  EXPECT_DOUBLE_EQ(dac::linear_multiplier(0.0, 0.2), 0.0);
  EXPECT_DOUBLE_EQ(dac::linear_multiplier(0.1, 0.2), 0.5);
  EXPECT_DOUBLE_EQ(dac::linear_multiplier(0.2, 0.2), 1.0);
  EXPECT_NEAR(dac::linear_multiplier(0.6, 0.2), 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(dac::linear_multiplier(1.0, 0.2), 0.0);
  EXPECT_DOUBLE_EQ(dac::linear_multiplier(0.0, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(dac::linear_multiplier(0.25, 0.0), 0.75);
  EXPECT_DOUBLE_EQ(dac::linear_multiplier(3.0, 0.0), 0.0);
}

TEST(ScheduleMultipliers, NeverNegativeOrAboveOne) {
  for (int i = -10; i <= 110; ++i) {
    const double t = i / 100.0;
    for (double value : {dac::triangle_multiplier(t), dac::cosine_multiplier(t),
                         dac::cosine_multiplier(t, 0.06, 0.1), dac::linear_multiplier(t)}) {
      EXPECT_GE(value, 0.0) << t;
      EXPECT_LE(value, 1.0 + 1e-12) << t;
    }
  }
}

}  // namespace
