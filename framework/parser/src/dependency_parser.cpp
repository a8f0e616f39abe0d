// Inference with the built-in parser: length-sorted batches spread over worker threads (one torch
// thread each) or run on the GPU.
#include "dac/parser/dependency_parser.hpp"

#include <atomic>
#include <exception>
#include <thread>

#include "dac/cpu_runtime.hpp"
#include "dac/error.hpp"
#include "parser_batch.hpp"
#include "parser_model.hpp"

namespace dac::parser {

namespace {

torch::Device choose_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda" || name == "auto") {
    if (torch::cuda::is_available()) return torch::Device(torch::kCUDA, 0);
    if (name == "auto") return torch::kCPU;
    throw UserError("parser device 'cuda' asked for, but torch sees no CUDA device");
  }
  throw UserError("unknown parser device '" + name + "' (use cpu, cuda or auto)");
}

// Sets the CPU thread count of torch and its BLAS for a scope.
class TorchThreads {
 public:
  explicit TorchThreads(int threads) : saved_(cpu_threads()) { set_cpu_threads(threads); }
  ~TorchThreads() { set_cpu_threads(saved_); }

 private:
  int saved_;
};

}  // namespace

struct DependencyParser::State {
  std::filesystem::path path;
  ParseOptions options;
  ParserModel model;
  torch::Device device{torch::kCPU};
};

DependencyParser::DependencyParser(const std::filesystem::path& model, ParseOptions options)
    : state_(std::make_unique<State>()) {
  state_->path = model;
  state_->options = options;
  state_->options.threads = std::max(1u, options.threads);
  state_->model = load_parser_model(model);
  state_->device = choose_device(options.device);
  state_->model.network->to(state_->device);
  state_->model.network->eval();
}

DependencyParser::~DependencyParser() = default;

const ParserConfig& DependencyParser::config() const {
  return state_->model.config;
}
const std::map<std::string, std::string>& DependencyParser::facts() const {
  return state_->model.facts;
}

std::string DependencyParser::describe() const {
  const auto& model = state_->model;
  auto fact = [&](const std::string& key) {
    auto found = model.facts.find(key);
    return found == model.facts.end() ? std::string("?") : found->second;
  };
  return state_->path.filename().string() + ": " + fact("preset") + " preset, " +
         std::to_string(model.config.lstm_layers) + "x" + std::to_string(model.config.lstm_hidden) +
         " BiLSTM, " + std::to_string(model.vocab.upos().size()) + " tags, " +
         std::to_string(model.vocab.relations().size()) + " relations, " +
         (state_->device.is_cpu() ? "cpu x" + std::to_string(state_->options.threads) : "cuda");
}

void DependencyParser::annotate(std::vector<Sentence>& sentences) const {
  std::lock_guard lock(mutex_);
  std::vector<const Sentence*> inputs;
  std::vector<Sentence*> targets;
  for (Sentence& sentence : sentences)
    if (!sentence.words.empty()) {
      inputs.push_back(&sentence);
      targets.push_back(&sentence);
    }
  const auto batches = length_batches(inputs, state_->options.batch_words);
  const unsigned workers =
      state_->device.is_cpu()
          ? std::min<unsigned>(state_->options.threads, static_cast<unsigned>(batches.size()))
          : 1u;
  const TorchThreads one_thread_each(1);
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(std::max(1u, workers));
  auto work = [&](unsigned worker) {
    try {
      c10::InferenceMode inference;
      for (std::size_t b = next++; b < batches.size(); b = next++) {
        std::vector<Sentence*> batch;
        for (std::size_t index : batches[b]) batch.push_back(targets[index]);
        predict(state_->model, batch);
      }
    } catch (...) {
      errors[worker] = std::current_exception();
    }
  };
  if (workers <= 1) {
    work(0);
  } else {
    std::vector<std::thread> threads;
    for (unsigned worker = 0; worker < workers; ++worker) threads.emplace_back(work, worker);
    for (auto& thread : threads) thread.join();
  }
  for (auto& error : errors)
    if (error) std::rethrow_exception(error);
}

}  // namespace dac::parser
