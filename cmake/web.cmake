# web.cmake — builds the web UI (web/) into OUTDIR with Vite, running
# `npm ci` first when web/node_modules is missing or older than the lock
# file, so a plain `cmake --build` yields a binary that serves the UI.
#   cmake -DWEB=web -DOUTDIR=dir -DNPM=npm -P web.cmake
set(stamp ${WEB}/node_modules/.xsirt-installed)
if(NOT EXISTS ${stamp} OR ${WEB}/package-lock.json IS_NEWER_THAN ${stamp})
  message(STATUS "web: npm ci")
  execute_process(COMMAND ${NPM} ci --no-audit --no-fund --loglevel=error
                  WORKING_DIRECTORY ${WEB} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "web: npm ci failed (${rc}); scripts/setup --build installs npm")
  endif()
  file(TOUCH ${stamp})
endif()
file(REMOVE_RECURSE ${OUTDIR})
execute_process(COMMAND ${NPM} run --silent build -- --outDir ${OUTDIR} --emptyOutDir
                WORKING_DIRECTORY ${WEB} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "web: the UI build failed (${rc})")
endif()
