# Names without identifiers (src/core/name.c): the vendor alias table kept
# as data in the repository (data/vendor-aliases.tsv) is compiled in, so
# core reads no file at run time; ICU gives Unicode NFKC normalisation.
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc)
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
target_link_libraries(xsirt_objs PUBLIC PkgConfig::ICU)
