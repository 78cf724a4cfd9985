# embed_assets.cmake — turns every file under a directory (the built web
# UI) into a C source holding a table of path -> bytes + content type,
# so `xsirt serve` carries its UI without reading files at run time.
# Text assets are also stored gzip-compressed (level 9, once, at build
# time), which the server sends to browsers that accept gzip.
#   cmake -DINPUT=dir -DOUTPUT=file.c -P embed_assets.cmake
# With no INPUT directory (XSIRT_UI=OFF) the table is empty.
# ("|" stands for "; ", which a CMake list cannot hold.)
set(types "html=text/html|charset=utf-8" "js=text/javascript|charset=utf-8"
    "css=text/css|charset=utf-8" "json=application/json" "svg=image/svg+xml"
    "png=image/png" "ico=image/x-icon" "woff2=font/woff2" "txt=text/plain|charset=utf-8")
set(files "")
if(INPUT AND IS_DIRECTORY ${INPUT})
  file(GLOB_RECURSE files RELATIVE ${INPUT} ${INPUT}/*)
  list(SORT files)
endif()
set(arrays "")
set(rows "")
set(i 0)
foreach(f ${files})
  get_filename_component(ext ${f} LAST_EXT)
  string(SUBSTRING "${ext}" 1 -1 ext)
  set(type "application/octet-stream")
  foreach(pair ${types})
    string(FIND "${pair}" "=" eq)
    string(SUBSTRING "${pair}" 0 ${eq} k)
    if(k STREQUAL ext)
      math(EXPR eq "${eq} + 1")
      string(SUBSTRING "${pair}" ${eq} -1 type)
      string(REPLACE "|" "; " type "${type}")
    endif()
  endforeach()
  file(READ ${INPUT}/${f} hex HEX)
  string(LENGTH "${hex}" n)
  math(EXPR n "${n} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(APPEND arrays "static const unsigned char asset_${i}[] = {${hex}0x00};\n")
  set(gz "NULL, 0")
  if(ext MATCHES "^(html|js|css|json|svg|txt)$")
    set(packed ${OUTPUT}.gz.tmp)
    file(ARCHIVE_CREATE OUTPUT ${packed} PATHS ${INPUT}/${f} FORMAT raw COMPRESSION GZip
         COMPRESSION_LEVEL 9)
    file(READ ${packed} ghex HEX)
    file(REMOVE ${packed})
    string(LENGTH "${ghex}" gn)
    math(EXPR gn "${gn} / 2")
    if(gn LESS n)
      string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," ghex "${ghex}")
      string(APPEND arrays "static const unsigned char asset_${i}_gz[] = {${ghex}0x00};\n")
      set(gz "asset_${i}_gz, ${gn}")
    endif()
  endif()
  string(APPEND rows "    {\"/${f}\", \"${type}\", asset_${i}, ${n}, ${gz}},\n")
  math(EXPR i "${i} + 1")
endforeach()
file(WRITE ${OUTPUT}.tmp "/* Generated from the built web UI by cmake/embed_assets.cmake: do not edit. */\n"
     "#include <stddef.h>\n#include \"server/ui.h\"\n${arrays}"
     "const xsirt_ui_asset xsirt_ui_assets[] = {\n${rows}    {NULL, NULL, NULL, 0, NULL, 0},\n};\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
