# Names without identifiers (src/core/name.c): the vendor alias table kept
# as data in the repository (data/vendor-aliases.tsv) is compiled in, so
# core reads no file at run time; GNU libunistring gives Unicode NFKC
# normalisation and case folding (not ICU: its load and relocation cost is
# what the lean `xsirt` avoids; tests/cli/lean.sh). It has no .pc file.
find_path(XSIRT_UNISTRING_INCLUDE uninorm.h REQUIRED)
find_library(XSIRT_UNISTRING_LIB unistring REQUIRED)
set(XSIRT_VENDOR_ALIASES_C ${CMAKE_BINARY_DIR}/generated/vendor_aliases.c)
add_custom_command(
  OUTPUT ${XSIRT_VENDOR_ALIASES_C}
  COMMAND ${CMAKE_COMMAND} -DINPUT=${CMAKE_SOURCE_DIR}/data/vendor-aliases.tsv
          -DOUTPUT=${XSIRT_VENDOR_ALIASES_C} -DSYMBOL=xsirt_vendor_aliases_tsv
          -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${CMAKE_SOURCE_DIR}/data/vendor-aliases.tsv ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "Embedding the vendor alias table"
  VERBATIM)
target_sources(xsirt_objs PRIVATE ${XSIRT_VENDOR_ALIASES_C})
target_include_directories(xsirt_objs SYSTEM PRIVATE ${XSIRT_UNISTRING_INCLUDE})
target_link_libraries(xsirt_objs PUBLIC ${XSIRT_UNISTRING_LIB})
