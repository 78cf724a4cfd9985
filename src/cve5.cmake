# CVE JSON 5 validator: the CVE Record Format schema (bundled), from the
# shared data, compiled into the library (cmake/embed.cmake) so that
# src/formats/cve5_validate.c reads no file — the schema stays data, as
# the CSAF validator's (src/csaf.cmake).
set(XSIRT_CVE5_SCHEMA ${XSIRT_SHARED_DATA}/schemas/cve5/CVE_Record_Format_bundled.json)
set(XSIRT_CVE5_OUTPUT ${CMAKE_BINARY_DIR}/generated/xsirt_cve5_schema_json.c)
add_custom_command(
  OUTPUT ${XSIRT_CVE5_OUTPUT}
  COMMAND ${CMAKE_COMMAND} -DINPUT=${XSIRT_CVE5_SCHEMA} -DOUTPUT=${XSIRT_CVE5_OUTPUT}
          -DSYMBOL=xsirt_cve5_schema_json -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${XSIRT_CVE5_SCHEMA} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "Embedding the CVE JSON 5 schema")
target_sources(xsirt_objs PRIVATE ${XSIRT_CVE5_OUTPUT})
