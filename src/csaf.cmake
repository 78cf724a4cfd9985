# CSAF 2.0 validator: the OASIS CSAF 2.0 JSON schema and the FIRST CVSS
# schemas it references, from the shared data, compiled into the library
# (cmake/embed.cmake) so that src/formats/csaf_validate.c reads no file.
set(XSIRT_CSAF_SCHEMA_DIR ${XSIRT_SHARED_DATA}/csaf/oasis-2.0)
set(XSIRT_CSAF_SCHEMAS
    "json_schema/csaf_json_schema.json:xsirt_csaf_schema_json"
    "referenced_schema/first/cvss-v2.0.json:xsirt_cvss_v20_schema_json"
    "referenced_schema/first/cvss-v3.0.json:xsirt_cvss_v30_schema_json"
    "referenced_schema/first/cvss-v3.1.json:xsirt_cvss_v31_schema_json")
foreach(entry ${XSIRT_CSAF_SCHEMAS})
  string(REPLACE ":" ";" parts ${entry})
  list(GET parts 0 file)
  list(GET parts 1 symbol)
  set(output ${CMAKE_BINARY_DIR}/generated/${symbol}.c)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${XSIRT_CSAF_SCHEMA_DIR}/${file} -DOUTPUT=${output}
            -DSYMBOL=${symbol} -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    DEPENDS ${XSIRT_CSAF_SCHEMA_DIR}/${file} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    COMMENT "Embedding ${file}")
  target_sources(xsirt_objs PRIVATE ${output})
endforeach()
