// The pretrained model an evaluation stage works on.
#include "stage_model.hpp"

namespace dac::plugins {

finetune::PretrainedModel stage_pretrained_model(const Options& options, const StageContext& ctx) {
  if (!options.string("model").empty())
    return finetune::locate_pretrained_model(resolve_config_path(options.node("model")));
  finetune::PretrainedModel model =
      finetune::locate_pretrained_model(ctx.input_of_kind("pretrain").dir);
  model.label = ctx.input_of_kind("pretrain").name;
  return model;
}

}  // namespace dac::plugins
