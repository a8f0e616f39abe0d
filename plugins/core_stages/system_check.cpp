// The system_check stage.
#include "system_check.hpp"

#include <fstream>

#include "dac/device.hpp"
#include "dac/error.hpp"

namespace dac::plugins {

namespace {

class SystemCheck : public Stage {
 public:
  explicit SystemCheck(const Options& options)
      : sizes_(options.integers("matmul_sizes")),
        repeats_(static_cast<int>(options.integer("repeats"))),
        dtype_(options.string("dtype")),
        device_(options.string("device")),
        min_gflops_(options.real("min_gflops")) {}

  ConfigNode run(StageContext& ctx) override {
    ConfigNode device = describe_torch_device();
    const std::string target =
        device_ == "auto" ? (device.find("cuda_available")->as_bool() ? "cuda" : "cpu") : device_;
    ctx.log().info("device: " + target + ", torch " + device.find("torch_version")->as_string() +
                   ", " + std::to_string(device.find("cpu_threads")->as_int()) + " CPU threads");
    ConfigNode result = ConfigNode::table();
    result.set("device", ConfigNode::string(target));
    double best = 0;
    for (std::size_t i = 0; i < sizes_.size(); ++i) {
      const MatmulMeasurement m = measure_matmul(sizes_[i], repeats_, dtype_, target);
      ConfigNode values = ConfigNode::table();
      values.set("size", ConfigNode::integer(m.size));
      values.set("gflops", ConfigNode::real(m.gflops));
      values.set("ms_per_matmul", ConfigNode::real(m.seconds_per_matmul * 1e3));
      ctx.log().metrics(static_cast<std::int64_t>(i), values);
      result.set("gflops_" + std::to_string(m.size), ConfigNode::real(m.gflops));
      best = std::max(best, m.gflops);
    }
    result.set("gflops_best", ConfigNode::real(best));
    std::ofstream(ctx.dir() / "device.toml") << to_toml(device);
    if (best < min_gflops_)
      ctx.log().warn("matmul throughput " + std::to_string(best) + " GFLOP/s is below " +
                     std::to_string(min_gflops_) +
                     " GFLOP/s: torch may be using the reference BLAS (install "
                     "libopenblas0-pthread) or the machine is busy");
    return result;
  }

 private:
  std::vector<std::int64_t> sizes_;
  int repeats_;
  std::string dtype_;
  std::string device_;
  double min_gflops_;
};

}  // namespace

PluginSpec system_check_spec() {
  return PluginSpec{
      .name = "system_check",
      .version = "1",
      .summary = "records the compute device and measures dense matmul GFLOP/s",
      .schema =
          ConfigSchema()
              .integers("matmul_sizes", {256, 512}, "square matmul sizes to time")
              .min(1)
              .integer("repeats", 3, "timed matmuls per size")
              .min(1)
              .string("dtype", "float32", "element type of the matmuls")
              .choices({"float32", "bfloat16", "float16"})
              .string("device", "auto", "cpu, cuda, cuda:K, or auto (cuda when available)")
              .real("min_gflops", 10.0, "warn when the best throughput is below this many GFLOP/s")
              .min(0),
      .config_sections = {}};
}

std::unique_ptr<Stage> make_system_check(const Options& options) {
  return std::make_unique<SystemCheck>(options);
}

}  // namespace dac::plugins
