#pragma once

// Pieces of the filters_applied object every filtered list answers with.

#include <string>
#include <utility>
#include <vector>

#include "json/body.h"

namespace taskcore::server {

// filters_applied's `ordering` as given: a comma list of name(term), or
// nothing when the list is not ordered explicitly.
template <class Term, class Name>
void add_ordering_applied(Json& applied, const std::vector<Term>& terms, Name&& name) {
  if (terms.empty()) return;
  std::string text;
  for (const Term& term : terms) {
    if (!text.empty()) text += ',';
    text += name(term);
  }
  applied["ordering"] = std::move(text);
}

}  // namespace taskcore::server
