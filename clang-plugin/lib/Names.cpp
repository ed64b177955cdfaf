#include "Names.h"

#include "llvm/ADT/StringExtras.h"

namespace inxpect {

bool isIdentifier(llvm::StringRef S) {
  if (S.empty() || !(llvm::isAlpha(S[0]) || S[0] == '_'))
    return false;
  for (char C : S)
    if (!(llvm::isAlnum(C) || C == '_'))
      return false;
  return true;
}

std::string Names::automatic(llvm::StringRef Fn, unsigned Line, unsigned Col) {
  std::string Name = (Fn + "_L" + llvm::Twine(Line)).str();
  if (Taken.insert(Name).second)
    return Name;
  Name += "_C" + std::to_string(Col);
  std::string Base = Name;
  for (unsigned N = 2; !Taken.insert(Name).second; ++N)
    Name = Base + "_" + std::to_string(N);
  return Name;
}

const Names::Use *Names::use(llvm::StringRef Name, llvm::StringRef File,
                             clang::SourceLocation Loc) {
  auto [It, Fresh] = Files.try_emplace(Name, Use{File.str(), Loc});
  if (Fresh || It->second.File == File)
    return nullptr;
  return &It->second;
}

} // namespace inxpect
