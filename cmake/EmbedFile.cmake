# cmake -DIN=file -DOUT=file.cpp -DNAME=symbol -P EmbedFile.cmake
# Writes IN's bytes as `extern const unsigned char NAME[]` and `NAME_size`,
# so a binary carries a file it needs (the calibration BPF object).
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" len)
math(EXPR size "${len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "// Generated from ${IN} by cmake/EmbedFile.cmake.\n#include <cstddef>\n"
  "extern const unsigned char ${NAME}[] = {\n${bytes}\n};\nextern const size_t ${NAME}_size = ${size};\n")
