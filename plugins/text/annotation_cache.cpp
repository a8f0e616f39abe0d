// The prepare stage's annotation cache. Each batch is: document count (u32), then per document its
// wordpiece count (u32), chunk count (u32) and chunks (type u16, controller u32, target u32,
// member count u32, members u32...), in host byte order.
#include "annotation_cache.hpp"

#include <unistd.h>

#include <cstring>
#include <string>

#include "dac/error.hpp"
#include "dac/summary.hpp"

namespace dac::plugins {

namespace fs = std::filesystem;

namespace {

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

}  // namespace

AnnotationCache::AnnotationCache(fs::path dir, bool resume)
    : data_path_(dir / "annotation-cache.bin"), record_path_(dir / "annotation-cache.toml") {
  if (resume && fs::exists(record_path_) && fs::exists(data_path_)) {
    const ConfigNode record = parse_toml_file(record_path_);
    const ConfigNode* bytes = record.find("bytes");
    const ConfigNode* batches = record.find("batches");
    if (bytes && batches &&
        fs::file_size(data_path_) >= static_cast<std::uint64_t>(bytes->as_int())) {
      completed_ = static_cast<std::uint64_t>(batches->as_int());
      bytes_ = static_cast<std::uint64_t>(bytes->as_int());
      if (const ConfigNode* statistics = record.find("statistics")) statistics_ = *statistics;
      fs::resize_file(data_path_, bytes_);  // a batch written but not recorded is dropped
      return;
    }
  }
  remove();
}

AnnotationCache::~AnnotationCache() {
  if (reader_) std::fclose(reader_);
  if (writer_) std::fclose(writer_);
}

void AnnotationCache::read_batch(std::span<const std::size_t> tokens,
                                 std::vector<std::vector<text::DocumentChunk>>& chunks) {
  if (read_ >= completed_) throw std::logic_error("annotation cache: no more cached batches");
  if (!reader_ && !(reader_ = std::fopen(data_path_.c_str(), "rb")))
    throw UserError("cannot read the annotation cache " + data_path_.string());
  const auto fail = [&](const std::string& what) {
    throw UserError("the annotation cache " + data_path_.string() + " does not fit batch " +
                    std::to_string(read_ + 1) + " of the corpus (" + what +
                    "): the corpus changed since the interrupted run; run the stage again with "
                    "--force");
  };
  const auto get = [&](auto& value) {
    if (std::fread(&value, sizeof value, 1, reader_) != 1) fail("the cache ends early");
  };
  std::uint32_t documents = 0;
  get(documents);
  if (documents != tokens.size())
    fail(std::to_string(documents) + " documents cached, " + std::to_string(tokens.size()) +
         " read");
  chunks.assign(documents, {});
  for (std::uint32_t d = 0; d < documents; ++d) {
    std::uint32_t count = 0, size = 0;
    get(count);
    if (count != tokens[d])
      fail("document " + std::to_string(d + 1) + " has " + std::to_string(tokens[d]) +
           " wordpieces, the cache recorded " + std::to_string(count));
    get(size);
    chunks[d].resize(size);
    for (text::DocumentChunk& chunk : chunks[d]) {
      std::uint32_t members = 0;
      get(chunk.type);
      get(chunk.controller);
      get(chunk.target);
      get(members);
      chunk.members.resize(members);
      if (members > 0 &&
          std::fread(chunk.members.data(), sizeof(std::uint32_t), members, reader_) != members)
        fail("the cache ends early");
    }
  }
  if (++read_ == completed_) {
    std::fclose(reader_);
    reader_ = nullptr;
  }
}

void AnnotationCache::append_batch(std::span<const std::size_t> tokens,
                                   const std::vector<std::vector<text::DocumentChunk>>& chunks,
                                   const ConfigNode& statistics) {
  std::string bytes;
  put(bytes, static_cast<std::uint32_t>(tokens.size()));
  for (std::size_t d = 0; d < tokens.size(); ++d) {
    put(bytes, static_cast<std::uint32_t>(tokens[d]));
    put(bytes, static_cast<std::uint32_t>(chunks[d].size()));
    for (const text::DocumentChunk& chunk : chunks[d]) {
      put(bytes, chunk.type);
      put(bytes, chunk.controller);
      put(bytes, chunk.target);
      put(bytes, static_cast<std::uint32_t>(chunk.members.size()));
      bytes.append(reinterpret_cast<const char*>(chunk.members.data()),
                   chunk.members.size() * sizeof(std::uint32_t));
    }
  }
  if (!writer_ && !(writer_ = std::fopen(data_path_.c_str(), "ab")))
    throw UserError("cannot write the annotation cache " + data_path_.string());
  if (std::fwrite(bytes.data(), 1, bytes.size(), writer_) != bytes.size() ||
      std::fflush(writer_) != 0 || ::fsync(fileno(writer_)) != 0)
    throw UserError("cannot write the annotation cache " + data_path_.string() + ": " +
                    std::strerror(errno));
  bytes_ += bytes.size();
  ++completed_;
  read_ = completed_;
  statistics_ = statistics;
  ConfigNode record = ConfigNode::table();
  record.set("batches", ConfigNode::integer(static_cast<std::int64_t>(completed_)));
  record.set("bytes", ConfigNode::integer(static_cast<std::int64_t>(bytes_)));
  record.set("statistics", statistics_);
  write_file_atomically(record_path_, to_toml(record));
}

void AnnotationCache::remove() {
  if (writer_) std::fclose(writer_);
  if (reader_) std::fclose(reader_);
  writer_ = reader_ = nullptr;
  fs::remove(data_path_);
  fs::remove(record_path_);
  completed_ = bytes_ = read_ = 0;
  statistics_ = ConfigNode::table();
}

}  // namespace dac::plugins
