// The nine GLUE tasks' file layouts, labels and metrics, as the GLUE download script
// download_glue_data.py writes them.
#include "task_descriptions.hpp"

namespace dac::glue_tasks {

namespace {

// train.tsv, dev.tsv and test.tsv (unlabelled); CoLA's train and dev have no header line.
std::vector<SplitFile> standard_splits(bool labelled_files_have_header = true) {
  return {{"train", "train.tsv", labelled_files_have_header},
          {"validation", "dev.tsv", labelled_files_have_header},
          {"test", "test.tsv", true, false}};
}

const std::vector<std::string> kBinary = {"0", "1"};
const std::vector<std::string> kEntailment = {"entailment", "not_entailment"};

std::vector<TaskDescription> make_descriptions() {
  return {
      {.name = "cola",
       .folder = "CoLA",
       .summary = "CoLA: is the sentence grammatical (Matthews correlation)",
       .splits = standard_splits(false),
       .sentence_a = {"sentence", 3},
       .label = {"label", 1},
       .label_texts = kBinary,
       .metrics = {"matthews"}},
      {.name = "sst2",
       .folder = "SST-2",
       .summary = "SST-2: sentiment of a movie review sentence (accuracy)",
       .splits = standard_splits(),
       .sentence_a = {"sentence", 0},
       .label = {"label", 1},
       .label_texts = kBinary,
       .metrics = {"accuracy"}},
      {.name = "mrpc",
       .folder = "MRPC",
       .summary = "MRPC: are the two sentences paraphrases (F1, accuracy)",
       .splits = standard_splits(),
       .sentence_a = {"#1 String", 3},
       .sentence_b = ColumnSpec{"#2 String", 4},
       .label = {"Quality", 0},
       .label_texts = kBinary,
       .metrics = {"f1", "accuracy"}},
      {.name = "stsb",
       .folder = "STS-B",
       .summary = "STS-B: similarity of two sentences from 0 to 5, regression (Pearson, Spearman)",
       .splits = standard_splits(),
       .sentence_a = {"sentence1", 7},
       .sentence_b = ColumnSpec{"sentence2", 8},
       .label = {"score", 9},
       .scores = {0, 5},
       .metrics = {"pearson", "spearman"}},
      {.name = "qqp",
       .folder = "QQP",
       .summary = "QQP: are the two questions duplicates (F1, accuracy)",
       .splits = standard_splits(),
       .sentence_a = {"question1", 3},
       .sentence_b = ColumnSpec{"question2", 4},
       .label = {"is_duplicate", 5},
       .label_texts = kBinary,
       .metrics = {"f1", "accuracy"},
       .skip_short_rows = true},
      {.name = "mnli",
       .folder = "MNLI",
       .summary = "MNLI: entailment, neutral or contradiction, matched and mismatched genres "
                  "(accuracy)",
       .splits = {{"train", "train.tsv"},
                  {"validation_matched", "dev_matched.tsv"},
                  {"validation_mismatched", "dev_mismatched.tsv"},
                  {"test_matched", "test_matched.tsv", true, false},
                  {"test_mismatched", "test_mismatched.tsv", true, false}},
       .sentence_a = {"sentence1", 8},
       .sentence_b = ColumnSpec{"sentence2", 9},
       .label = {"gold_label"},  // the last column, after one (train) or five (dev) annotations
       .label_texts = {"entailment", "neutral", "contradiction"},
       .metrics = {"accuracy"}},
      {.name = "qnli",
       .folder = "QNLI",
       .summary = "QNLI: does the sentence answer the question (accuracy)",
       .splits = standard_splits(),
       .sentence_a = {"question", 1},
       .sentence_b = ColumnSpec{"sentence", 2},
       .label = {"label", 3},
       .label_texts = kEntailment,
       .metrics = {"accuracy"}},
      {.name = "rte",
       .folder = "RTE",
       .summary = "RTE: does the first sentence entail the second (accuracy)",
       .splits = standard_splits(),
       .sentence_a = {"sentence1", 1},
       .sentence_b = ColumnSpec{"sentence2", 2},
       .label = {"label", 3},
       .label_texts = kEntailment,
       .metrics = {"accuracy"}},
      {.name = "wnli",
       .folder = "WNLI",
       .summary = "WNLI: does the sentence with the pronoun replaced follow (accuracy)",
       .splits = standard_splits(),
       .sentence_a = {"sentence1", 1},
       .sentence_b = ColumnSpec{"sentence2", 2},
       .label = {"label", 3},
       .label_texts = kBinary,
       .metrics = {"accuracy"}},
  };
}

}  // namespace

const std::vector<TaskDescription>& task_descriptions() {
  static const std::vector<TaskDescription> descriptions = make_descriptions();
  return descriptions;
}

const TaskDescription* find_task_description(std::string_view name) {
  for (const TaskDescription& description : task_descriptions())
    if (description.name == name) return &description;
  return nullptr;
}

}  // namespace dac::glue_tasks
