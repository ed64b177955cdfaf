// Text put into HTML or SVG (annotate --html, flamegraph): the characters
// markup gives a meaning escaped, tabs as spaces (source lines), and other
// control characters dropped (names come from objects nobody vetted).
#pragma once

#include <string>
#include <string_view>

namespace inxpect {

inline std::string markup_escape(std::string_view s) {
  std::string o;
  for (char c : s) switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      case '\t': o += "        "; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\n') o += c;
    }
  return o;
}

}  // namespace inxpect
