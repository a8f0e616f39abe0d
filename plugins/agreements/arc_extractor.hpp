// An agreement along one dependency arc: a dependent with a configured relation and its head,
// one of them the controller and the other the target (verb_object, adjective_noun, ...).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dac/kinds/agreement_extractor.hpp"
#include "rules.hpp"

namespace dac::agreements {

struct ArcRule {
  std::string type;
  bool head_controls = true;  // the head is the controller (else the dependent is)
  // Extra condition on the arc (head, dependent); none: every arc that matches the options.
  std::function<bool(const Sentence&, int head, int dependent)> accept;
  // The words of the agreement's base phrase besides the two anchors.
  std::function<std::vector<int>(const Sentence&, const Dependents&, int head, int dependent)>
      phrase;
};

class ArcExtractor : public AgreementExtractor {
 public:
  ArcExtractor(ArcRule rule, CommonRules common)
      : rule_(std::move(rule)), common_(std::move(common)) {}

  std::string_view type() const override { return rule_.type; }
  // One chunk per matching arc, in the order of the dependents.
  std::vector<Chunk> extract(const Sentence& sentence) const override;

 private:
  ArcRule rule_;
  CommonRules common_;
};

}  // namespace dac::agreements
