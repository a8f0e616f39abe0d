// Checkpoints in torch's archive format. Layout: "format" and "format_version" at the top;
// "model" holds every parameter and buffer under its full dotted name; "optimizer" the AdamW
// state; "meta" the strings and counters of CheckpointMeta; "rng" the generator states.
#include "dac/train/checkpoint.hpp"

#include <torch/torch.h>
#include <unistd.h>

#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include "dac/error.hpp"
#include "dac/train/tensor_text.hpp"
#include "dac/train/zip_checksums.hpp"

namespace dac::train {

namespace {

constexpr const char* kFormat = "dacrun-checkpoint";
constexpr std::int64_t kFormatVersion = 1;

std::string message_of(const std::exception& error) {
  if (const auto* c10_error = dynamic_cast<const c10::Error*>(&error))
    return c10_error->what_without_backtrace();
  return error.what();
}

// Parameters and buffers under their full names (buffers after parameters).
std::vector<std::pair<std::string, torch::Tensor>> module_tensors(const torch::nn::Module& module) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& item : module.named_parameters(/*recurse=*/true))
    out.emplace_back(item.key(), item.value());
  for (const auto& item : module.named_buffers(/*recurse=*/true))
    out.emplace_back(item.key(), item.value());
  return out;
}

torch::Tensor cpu_copy(const torch::Tensor& tensor) {
  return tensor.detach().to(torch::kCPU);
}

void write_string(torch::serialize::OutputArchive& archive, const std::string& key,
                  const std::string& value) {
  archive.write(key, c10::IValue(value));
}

void write_int(torch::serialize::OutputArchive& archive, const std::string& key,
               std::int64_t value) {
  archive.write(key, c10::IValue(value));
}

// What a reader goes on to use, and so which records it compares with their sums: everything, or
// only the meta (torch keeps each tensor's bytes in a record under data/, the rest is small).
enum class CheckpointPart { Everything, MetaOnly };

bool outside_tensor_data(const std::string& record) {
  return record.find("/data/") == std::string::npos;
}

// The open archive of a checkpoint file, or a UserError naming the file.
class CheckpointReader {
 public:
  CheckpointReader(const std::filesystem::path& path, CheckpointPart part) : path_(path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
      throw UserError("no checkpoint at " + path.string());
    try {
      archive_.load_from(path.string());
    } catch (const std::exception& e) {
      throw UserError("not a dacrun checkpoint (" + path.string() + "): " + message_of(e));
    }
    c10::IValue format;
    if (!archive_.try_read("format", format) || !format.isString() ||
        format.toStringRef() != kFormat)
      throw UserError("not a dacrun checkpoint (" + path.string() +
                      "): a torch archive without dacrun's format marker");
    const std::int64_t version = read_int(archive_, "format_version");
    if (version != kFormatVersion)
      throw UserError("checkpoint format version " + std::to_string(version) +
                      ", this dacrun reads " + std::to_string(kFormatVersion) + " (" +
                      path.string() + ")");
    // Torch's reader does not check the records' sums: a damaged tensor would load silently.
    verify_zip_checksums(path, part == CheckpointPart::MetaOnly
                                   ? ZipRecordFilter(outside_tensor_data)
                                   : ZipRecordFilter());
  }

  torch::serialize::InputArchive& archive() { return archive_; }
  const std::filesystem::path& path() const { return path_; }

  UserError error(const std::string& what) const {
    return UserError("checkpoint " + path_.string() + ": " + what);
  }

  std::int64_t read_int(torch::serialize::InputArchive& archive, const std::string& key) const {
    c10::IValue value;
    if (!archive.try_read(key, value) || !value.isInt()) throw error("'" + key + "' is missing");
    return value.toInt();
  }

  std::string read_string(torch::serialize::InputArchive& archive, const std::string& key) const {
    c10::IValue value;
    if (!archive.try_read(key, value) || !value.isString()) throw error("'" + key + "' is missing");
    return value.toStringRef();
  }

  torch::serialize::InputArchive sub_archive(const std::string& key) {
    torch::serialize::InputArchive sub;
    if (!archive_.try_read(key, sub)) throw error("the section '" + key + "' is missing");
    return sub;
  }

  CheckpointMeta meta() {
    torch::serialize::InputArchive archive = sub_archive("meta");
    CheckpointMeta meta;
    try {
      meta.counters = TrainingCounters::from_table(
          parse_toml(read_string(archive, "counters"), path_.string() + " (counters)"));
    } catch (const UserError& e) {
      throw error(std::string("the training counters do not read: ") + e.what());
    }
    meta.nonfinite_in_a_row = read_int(archive, "nonfinite_in_a_row");
    meta.skipped_steps = read_int(archive, "skipped_steps");
    meta.config_toml = read_string(archive, "config_toml");
    meta.encoder_toml = read_string(archive, "encoder_toml");
    meta.plugins_toml = read_string(archive, "plugins_toml");
    meta.vocab_text = read_string(archive, "vocab_text");
    meta.normalizer = read_string(archive, "normalizer");
    meta.extra_toml = read_string(archive, "extra_toml");
    meta.format_version = read_int(archive_, "format_version");
    return meta;
  }

 private:
  std::filesystem::path path_;
  torch::serialize::InputArchive archive_;
};

torch::serialize::OutputArchive rng_archive() {
  torch::serialize::OutputArchive archive;
  {
    at::Generator cpu = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(cpu.mutex());
    archive.write("cpu", cpu.get_state(), /*is_buffer=*/true);
  }
  const int cuda_devices =
      torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
  write_int(archive, "cuda_devices", cuda_devices);
  for (int i = 0; i < cuda_devices; ++i) {
    at::Generator generator = at::globalContext().defaultGenerator(torch::Device(torch::kCUDA, i));
    std::lock_guard<std::mutex> lock(generator.mutex());
    archive.write("cuda_" + std::to_string(i), generator.get_state().to(torch::kCPU),
                  /*is_buffer=*/true);
  }
  return archive;
}

void restore_rng(CheckpointReader& reader) {
  torch::serialize::InputArchive archive = reader.sub_archive("rng");
  torch::Tensor state;
  if (!archive.try_read("cpu", state, /*is_buffer=*/true))
    throw reader.error("the CPU random state is missing");
  try {
    at::Generator cpu = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(cpu.mutex());
    cpu.set_state(state);
  } catch (const c10::Error& e) {
    throw reader.error("the CPU random state does not restore: " + message_of(e));
  }
  // CUDA states restore onto the devices present now (a CPU machine skips them).
  const std::int64_t saved = reader.read_int(archive, "cuda_devices");
  const std::int64_t present =
      torch::cuda::is_available() ? static_cast<std::int64_t>(torch::cuda::device_count()) : 0;
  for (std::int64_t i = 0; i < std::min(saved, present); ++i) {
    torch::Tensor cuda_state;
    if (!archive.try_read("cuda_" + std::to_string(i), cuda_state, /*is_buffer=*/true))
      throw reader.error("the random state of CUDA device " + std::to_string(i) + " is missing");
    at::Generator generator = at::globalContext().defaultGenerator(
        torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(i)));
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(cuda_state);
  }
}

}  // namespace

void save_checkpoint(const std::filesystem::path& path, const torch::nn::Module& module,
                     const AdamW* optimizer, const CheckpointMeta& meta) {
  torch::NoGradGuard no_grad;
  torch::serialize::OutputArchive archive;
  write_string(archive, "format", kFormat);
  write_int(archive, "format_version", kFormatVersion);

  torch::serialize::OutputArchive model;
  for (const auto& [name, tensor] : module_tensors(module))
    model.write(name, cpu_copy(tensor), /*is_buffer=*/true);
  archive.write("model", model);

  if (optimizer != nullptr) {
    torch::serialize::OutputArchive state;
    optimizer->save(state);
    archive.write("optimizer", state);
  }

  torch::serialize::OutputArchive meta_archive;
  write_string(meta_archive, "counters", to_toml(meta.counters.to_table()));
  write_int(meta_archive, "nonfinite_in_a_row", meta.nonfinite_in_a_row);
  write_int(meta_archive, "skipped_steps", meta.skipped_steps);
  write_string(meta_archive, "config_toml", meta.config_toml);
  write_string(meta_archive, "encoder_toml", meta.encoder_toml);
  write_string(meta_archive, "plugins_toml", meta.plugins_toml);
  write_string(meta_archive, "vocab_text", meta.vocab_text);
  write_string(meta_archive, "normalizer", meta.normalizer);
  write_string(meta_archive, "extra_toml", meta.extra_toml);
  archive.write("meta", meta_archive);

  torch::serialize::OutputArchive rng = rng_archive();
  archive.write("rng", rng);

  // Written beside the target and renamed over it, so `path` is the old file or the new one.
  std::filesystem::path temporary = path;
  temporary += ".tmp-" + std::to_string(::getpid());
  try {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    archive.save_to(temporary.string());
    std::filesystem::rename(temporary, path);
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw UserError("could not write checkpoint " + path.string() + ": " + message_of(e));
  }
}

namespace {

// The checkpoint's tensor for each of the module's tensors, names and shapes checked before
// anything changes; with `exact`, a tensor the module lacks is an error too.
std::vector<torch::Tensor> matching_tensors(
    CheckpointReader& reader, const std::vector<std::pair<std::string, torch::Tensor>>& targets,
    bool exact) {
  torch::serialize::InputArchive model = reader.sub_archive("model");
  std::vector<torch::Tensor> sources;
  std::set<std::string> names;
  for (const auto& [name, target] : targets) {
    names.insert(name);
    torch::Tensor source;
    if (!model.try_read(name, source, /*is_buffer=*/true))
      throw reader.error("it has no tensor '" + name + "', which the model has");
    if (source.sizes() != target.sizes())
      throw reader.error("'" + name + "' has shape " + shape_text(source.sizes()) +
                         ", the model's has shape " + shape_text(target.sizes()));
    sources.push_back(std::move(source));
  }
  if (exact)
    for (const std::string& key : model.keys())
      if (!names.count(key))
        throw reader.error("it has a tensor '" + key + "', which the model lacks");
  return sources;
}

void copy_into(const std::vector<std::pair<std::string, torch::Tensor>>& targets,
               const std::vector<torch::Tensor>& sources) {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    torch::Tensor target = targets[i].second;
    target.copy_(sources[i]);
  }
}

}  // namespace

CheckpointMeta load_checkpoint(const std::filesystem::path& path, torch::nn::Module& module,
                               AdamW* optimizer) {
  CheckpointReader reader(path, CheckpointPart::Everything);
  CheckpointMeta meta = reader.meta();
  const auto targets = module_tensors(module);
  const std::vector<torch::Tensor> sources = matching_tensors(reader, targets, /*exact=*/true);

  if (optimizer != nullptr) {
    torch::serialize::InputArchive state;
    if (!reader.archive().try_read("optimizer", state))
      throw reader.error("it holds no optimizer state");
    try {
      optimizer->load(state);
    } catch (const UserError& e) {
      throw reader.error(e.what());
    }
  }
  copy_into(targets, sources);
  restore_rng(reader);
  return meta;
}

void load_weights(const std::filesystem::path& path, torch::nn::Module& module) {
  CheckpointReader reader(path, CheckpointPart::Everything);
  const auto targets = module_tensors(module);
  copy_into(targets, matching_tensors(reader, targets, /*exact=*/false));
}

CheckpointMeta read_checkpoint_meta(const std::filesystem::path& path) {
  CheckpointReader reader(path, CheckpointPart::MetaOnly);
  return reader.meta();
}

}  // namespace dac::train
