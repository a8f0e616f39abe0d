// The fine-tuning settings as config keys, with the recipe's GLUE-sane defaults.
#include <memory>

#include "dac/finetune/glue_evaluation.hpp"
#include "dac/kinds/lr_schedule.hpp"
#include "dac/plugin_host.hpp"
#include "dac/schedules.hpp"

namespace dac::finetune {

ConfigSchema& add_finetune_settings(ConfigSchema& schema) {
  const FinetuneSettings defaults;
  schema.integer("epochs", defaults.epochs, "passes over the training set")
      .min(1)
      .integer("batch_size", static_cast<std::int64_t>(defaults.batch_size),
               "examples per optimizer step")
      .min(1)
      .integer("eval_batch_size", static_cast<std::int64_t>(defaults.eval_batch_size),
               "examples per batch when scoring the dev set")
      .min(1)
      .real("learning_rate", defaults.learning_rate, "peak AdamW learning rate")
      .min(0);
  train::add_optimizer_keys(schema, defaults.optimizer);
  return schema.integer("head_width", defaults.head_width, "width of the head's hidden layer")
      .min(1)
      .real("head_dropout", defaults.head_dropout, "dropout between the head's layers")
      .min(0)
      .max(1)
      .boolean("encoder_dropout", defaults.encoder_dropout,
               "run the encoder's own dropout while fine-tuning")
      .integer("max_length", static_cast<std::int64_t>(defaults.max_length),
               "wordpieces per example, [CLS] and [SEP]s included (longest sentence cut first)")
      .min(4)
      .boolean("zero_agreement_types", defaults.zero_agreement_types,
               "after the last epoch, score each dev split again once per agreement type the "
               "encoder reads (DACBERT) with that type's agreement embedding zeroed; the scores "
               "go to results.json as `zeroed` and to the report's leave-one-type-out table")
      .optional_plugin("schedule", "lr_schedule",
                       "learning-rate schedule over the run's steps (default: cosine with 10% "
                       "warm-up)");
}

FinetuneSettings finetune_settings_from(const Options& options, PluginHost& plugins) {
  FinetuneSettings settings;
  settings.epochs = static_cast<int>(options.integer("epochs"));
  settings.batch_size = static_cast<std::size_t>(options.integer("batch_size"));
  settings.eval_batch_size = static_cast<std::size_t>(options.integer("eval_batch_size"));
  settings.learning_rate = options.real("learning_rate");
  settings.optimizer = train::optimizer_settings_from(options);
  settings.head_width = options.integer("head_width");
  settings.head_dropout = options.real("head_dropout");
  settings.encoder_dropout = options.boolean("encoder_dropout");
  settings.max_length = static_cast<std::size_t>(options.integer("max_length"));
  settings.zero_agreement_types = options.boolean("zero_agreement_types");
  if (options.has("schedule")) {
    std::shared_ptr<LrSchedule> schedule =
        plugins.create<LrSchedule>(options.node("schedule"), options.key_path("schedule"));
    settings.lr_multiplier = [schedule](double t) { return schedule->multiplier(t); };
  } else {
    settings.lr_multiplier = [](double t) { return cosine_multiplier(t, 0.1); };
  }
  return settings;
}

}  // namespace dac::finetune
