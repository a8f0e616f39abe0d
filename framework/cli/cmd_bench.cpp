// `dacrun bench ...`: speed measurements that print figures (never pass/fail checks).
#include <fmt/format.h>

#include <iostream>

#include "cli.hpp"
#include "dac/device.hpp"
#include "dac/error.hpp"
#include "dac/suggest.hpp"

namespace dac::cli {

namespace {

constexpr const char* kBenchUsage = R"(usage: dacrun bench <name> [options]

benchmarks:
  matmul   dense n x n matmul throughput in GFLOP/s (checks that a fast BLAS or the GPU is used)
)";

int bench_matmul(const Args& args) {
  po::options_description options("options");
  options.add_options()
      ("size", po::value<std::vector<std::int64_t>>()->multitoken()->default_value({512, 1024}, "512 1024"),
       "matrix sizes")
      ("repeat", po::value<int>()->default_value(5), "timed matmuls per size")
      ("dtype", po::value<std::string>()->default_value("float32"), "float32, bfloat16 or float16")
      ("device", po::value<std::string>()->default_value("cpu"), "cpu, cuda or cuda:K");
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, "usage: dacrun bench matmul [options]"))
    return kExitOk;
  std::cout << fmt::format("{:>6}  {:>9}  {:>8}  {:>12}  {:>10}\n", "size", "dtype", "device",
                           "ms/matmul", "GFLOP/s");
  for (const std::int64_t size : values["size"].as<std::vector<std::int64_t>>()) {
    const MatmulMeasurement m = measure_matmul(size, values["repeat"].as<int>(),
                                               values["dtype"].as<std::string>(),
                                               values["device"].as<std::string>());
    std::cout << fmt::format("{:>6}  {:>9}  {:>8}  {:>12.3f}  {:>10.1f}\n", m.size, m.dtype,
                             m.device, m.seconds_per_matmul * 1e3, m.gflops);
  }
  return kExitOk;
}

}  // namespace

ConfigNode describe_device() { return describe_torch_device(); }

int bench_command(const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kBenchUsage;
    return args.empty() ? kExitUserError : kExitOk;
  }
  const Args rest(args.begin() + 1, args.end());
  if (args[0] == "matmul") return bench_matmul(rest);
  throw UserError("unknown benchmark '" + args[0] + "'" + did_you_mean(args[0], {"matmul"}) +
                  ". Run `dacrun bench --help` for the list.");
}

}  // namespace dac::cli
