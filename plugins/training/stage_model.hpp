// The pretrained model an evaluation stage (glue, probe, attention_study) works on: the stage's
// `model` key when given (a checkpoint, pretrain stage folder or run folder), else its pretrain
// input stage, labelled with that stage's name.
#pragma once

#include "dac/finetune/pretrained_model.hpp"
#include "dac/kinds/stage.hpp"
#include "dac/options.hpp"

namespace dac::plugins {

finetune::PretrainedModel stage_pretrained_model(const Options& options, const StageContext& ctx);

}  // namespace dac::plugins
