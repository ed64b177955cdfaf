// The one JSON string encoder, for every JSON the runtime prints.
#pragma once

#include <string>

namespace inxpect {

// `s` as a JSON string literal, quotes included.
std::string json_quote(const std::string& s);

}  // namespace inxpect
