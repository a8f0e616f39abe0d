# Writes the source tree's git commit (with "-dirty" when tracked files changed) into a generated
# source file at build time, rewriting it only when the commit changes, so run provenance names the
# commit the binary was built from. Invoked with -DSOURCE_DIR=... -DOUTPUT=... -P.
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                RESULT_VARIABLE failed)
if(failed OR NOT commit)
  set(commit "unknown")
else()
  execute_process(COMMAND git status --porcelain --untracked-files=no
                  WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(changes)
    string(APPEND commit "-dirty")
  endif()
endif()
set(text "// Generated at build time: the git commit this dacrun was built from.\n")
string(APPEND text "namespace dac {\nconst char* build_git_commit() { return \"${commit}\"; }\n}  // namespace dac\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} previous)
endif()
if(NOT "${previous}" STREQUAL "${text}")
  file(WRITE ${OUTPUT} "${text}")
endif()
