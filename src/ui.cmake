# ui.cmake — the web UI (web/, TypeScript + Preact built by Vite) compiled
# into the server: Vite's output is embedded as a table of path -> bytes
# (src/server/ui.c serves it). XSIRT_UI=OFF builds without Node.js; the
# server then answers / with a note that the UI was left out.
option(XSIRT_UI "Build the web UI into the server (needs Node.js and npm)" ON)
set(XSIRT_UI_ASSETS ${CMAKE_BINARY_DIR}/generated/ui_assets.c)
if(XSIRT_UI)
  find_program(XSIRT_NPM npm REQUIRED)
  set(XSIRT_WEB ${CMAKE_SOURCE_DIR}/web)
  set(XSIRT_UI_DIST ${CMAKE_BINARY_DIR}/web-dist)
  file(GLOB_RECURSE XSIRT_WEB_SOURCES CONFIGURE_DEPENDS ${XSIRT_WEB}/src/*)
  add_custom_command(
    OUTPUT ${XSIRT_UI_ASSETS}
    COMMAND ${CMAKE_COMMAND} -DWEB=${XSIRT_WEB} -DOUTDIR=${XSIRT_UI_DIST} -DNPM=${XSIRT_NPM}
            -P ${CMAKE_SOURCE_DIR}/cmake/web.cmake
    COMMAND ${CMAKE_COMMAND} -DINPUT=${XSIRT_UI_DIST} -DOUTPUT=${XSIRT_UI_ASSETS}
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_assets.cmake
    DEPENDS ${XSIRT_WEB_SOURCES} ${XSIRT_WEB}/index.html ${XSIRT_WEB}/package.json
            ${XSIRT_WEB}/package-lock.json ${XSIRT_WEB}/vite.config.ts ${XSIRT_WEB}/tsconfig.json
            ${CMAKE_SOURCE_DIR}/cmake/web.cmake ${CMAKE_SOURCE_DIR}/cmake/embed_assets.cmake
    COMMENT "Building and embedding the web UI (web/)")
else()
  add_custom_command(
    OUTPUT ${XSIRT_UI_ASSETS}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${XSIRT_UI_ASSETS} -P ${CMAKE_SOURCE_DIR}/cmake/embed_assets.cmake
    DEPENDS ${CMAKE_SOURCE_DIR}/cmake/embed_assets.cmake
    COMMENT "Leaving the web UI out (XSIRT_UI=OFF)")
endif()
target_sources(xsirt_objs PRIVATE ${XSIRT_UI_ASSETS})
