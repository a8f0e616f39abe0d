// The built-in plugin kinds.
#include "dac/kinds.hpp"

namespace dac {

const std::vector<KindInfo>& builtin_kinds() {
  static const std::vector<KindInfo> kinds{
      {"stage", "a step an experiment runs (prepare, pretrain, glue, probe, ...)",
       "dac/kinds/stage.hpp"},
      {"corpus", "a source of raw text documents", "dac/kinds/corpus.hpp"},
      {"normalizer", "normalises raw text into pre-tokens that keep their byte offsets",
       "dac/kinds/normalizer.hpp"},
      {"parser", "segments text into sentences and gives each a dependency tree",
       "dac/kinds/parser.hpp"},
      {"annotator",
       "the prepare stage's hook: a document's text and wordpieces -> agreement chunks",
       "dac/text/document_annotator.hpp"},
      {"agreement_extractor", "turns one parsed sentence into agreement chunks",
       "dac/kinds/agreement_extractor.hpp"},
      {"submodel", "stage-1 model: the wordpieces of a chunk -> agreement embeddings",
       "dac/kinds/submodel.hpp"},
      {"encoder", "the main model: token ids (+ extra features) -> hidden states and MLM logits",
       "dac/kinds/encoder.hpp"},
      {"lr_schedule", "learning-rate multiplier as a function of budget progress",
       "dac/kinds/lr_schedule.hpp"},
      {"glue_task", "reads one GLUE task's files and scores predictions",
       "dac/kinds/glue_task.hpp"},
  };
  return kinds;
}

}  // namespace dac
