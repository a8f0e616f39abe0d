// Schema and reading of the pretrain stage's options. Defaults are the Crammed BERT recipe.
#include "pretrain_options.hpp"

#include "dac/budget.hpp"
#include "dac/train/optimizer_settings.hpp"

namespace dac::plugins {

ConfigSchema PretrainOptions::schema() {
  ConfigSchema schema;
  schema.plugin("model", "encoder", "the encoder to pretrain, e.g. { name = \"crammed_bert\" }")
      .optional_plugin("schedule", "lr_schedule",
                       "learning-rate multiplier over budget progress (default: triangle)");
  add_budget_keys(schema, "hours", 24.0);
  schema.integer("micro_batch", 128, "sequences per forward/backward pass")
      .min(1)
      .integer("batch_size", 8192, "sequences per optimizer step once the ramp ends")
      .min(1)
      .real("ramp_end", 0.6,
            "progress at which batch_size is reached (linear ramp from one "
            "micro-batch)")
      .min(0)
      .max(1)
      .real("lr", 1e-3, "peak learning rate")
      .min(0);
  train::add_optimizer_keys(schema, train::OptimizerSettings{});
  schema.boolean("dropout", false, "run dropout during pretraining (the recipe turns it off)")
      .real("mask_rate", 0.25, "share of each row predicted")
      .min(0)
      .max(1)
      .real("random_fraction", 0.1, "share of predicted positions given a random token")
      .min(0)
      .max(1)
      .real("keep_fraction", 0.1, "share of predicted positions left unchanged")
      .min(0)
      .max(1)
      .string("order", "sequential",
              "row order: as prepared (sequential) or a seeded reshuffle every epoch")
      .choices({"sequential", "shuffled"})
      .integer("log_every", 10, "steps between metrics records")
      .min(1)
      .integer("validate_every", 100, "steps between validation losses; 0 = at the end only")
      .min(0)
      .integer("validation_rows", 512, "held-out rows in the validation loss; 0 = all")
      .min(0)
      .integer("checkpoint_every_steps", 0, "steps between checkpoints; 0 = by time only")
      .min(0)
      .real("checkpoint_every_minutes", 30, "minutes between checkpoints; 0 = by steps only")
      .min(0)
      .integer("max_nonfinite", 10, "consecutive non-finite steps that stop the run")
      .min(1)
      .boolean("export", true, "export the final encoder (safetensors + JSON + vocab)")
      .optional("seed", KeyType::Int,
                "seed of weights, masks and shuffles (default: the "
                "experiment's seed)");
  train::add_compute_options(schema);
  return schema;
}

PretrainOptions PretrainOptions::from(const Options& options) {
  PretrainOptions out;
  out.model = options.node("model");
  out.model_path = options.key_path("model");
  if (options.has("schedule")) out.schedule = options.node("schedule");
  train::PretrainSettings& s = out.settings;
  s.budget = budget_from(options);
  s.ramp.micro_batch = options.integer("micro_batch");
  s.ramp.final_batch = options.integer("batch_size");
  s.ramp.ramp_end = options.real("ramp_end");
  if (s.ramp.final_batch < s.ramp.micro_batch)
    options.fail("batch_size",
                 "is smaller than micro_batch (" + std::to_string(s.ramp.micro_batch) + ")");
  s.peak_lr = options.real("lr");
  s.optimizer = train::optimizer_settings_from(options);
  s.dropout = options.boolean("dropout");
  s.masking.rate = options.real("mask_rate");
  s.masking.random_fraction = options.real("random_fraction");
  s.masking.keep_fraction = options.real("keep_fraction");
  if (s.masking.random_fraction + s.masking.keep_fraction > 1)
    options.fail("keep_fraction", "random_fraction + keep_fraction exceeds 1");
  s.order = options.string("order") == "shuffled" ? text::RowOrder::kShuffled
                                                  : text::RowOrder::kSequential;
  s.log_every = options.integer("log_every");
  s.validate_every = options.integer("validate_every");
  s.validation_rows = options.integer("validation_rows");
  s.checkpoint_every_steps = options.integer("checkpoint_every_steps");
  s.checkpoint_every_minutes = options.real("checkpoint_every_minutes");
  s.max_nonfinite_in_a_row = options.integer("max_nonfinite");
  out.compute = train::compute_request_from(options);
  out.export_encoder = options.boolean("export");
  if (options.has("seed")) out.seed = static_cast<std::uint64_t>(options.integer("seed"));
  return out;
}

}  // namespace dac::plugins
