# CTest script: installs this build into a temporary prefix, builds the example plugin of
# docs/examples/agreement_plugin against it (torch-free), and checks that the installed dacrun
# lists both its own plugins and the example's, and that the example's extractor works, through
# `dacrun extract` on a tiny treebank and through its unit test.

# Variables: BUILD_DIR, EXAMPLE_DIR, WORK_DIR, GENERATOR, CXX_COMPILER, UNIT_TESTS; optional
# MAKE_PROGRAM, BOOST_DIR.
foreach(variable BUILD_DIR EXAMPLE_DIR WORK_DIR GENERATOR CXX_COMPILER UNIT_TESTS)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "out_of_tree_plugin.cmake: -D${variable}=... is required")
  endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)
set(example_build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
# The installed dacrun must find its plugins by itself, not through the caller's environment.
unset(ENV{DAC_PLUGIN_PATH})

# Runs a command; stops the test with its output when it fails. Its stdout lands in `out_var`.
function(run_step description out_var)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    list(JOIN ARGN " " command_line)
    message(FATAL_ERROR "${description} failed (exit ${code}):\n${command_line}\n${out}\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# Fails unless `text` contains `expected`.
function(expect_contains description text expected)
  string(FIND "${text}" "${expected}" position)
  if(position EQUAL -1)
    message(FATAL_ERROR "${description}: expected to find '${expected}' in:\n${text}")
  endif()
endfunction()

run_step("installing dacrun" ignored ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

set(configure_args -S ${EXAMPLE_DIR} -B ${example_build} -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
if(MAKE_PROGRAM)
  list(APPEND configure_args -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
if(BOOST_DIR)
  list(APPEND configure_args -DBoost_DIR=${BOOST_DIR})
endif()
run_step("configuring the example plugin" ignored ${CMAKE_COMMAND} ${configure_args})
run_step("building the example plugin" ignored ${CMAKE_COMMAND} --build ${example_build})

set(plugin ${example_build}/dac_negation_verb.so)
if(NOT EXISTS ${plugin})
  message(FATAL_ERROR "the example build did not produce ${plugin}")
endif()

# A plugin without TORCH gets no torch from dac::framework: no torch include folder or flag, no
# torch library it depends on.
file(READ ${example_build}/compile_commands.json compile_commands)
string(TOLOWER "${compile_commands}" compile_commands)
string(FIND "${compile_commands}" "torch" torch_in_flags)
if(NOT torch_in_flags EQUAL -1)
  message(FATAL_ERROR "dac::framework passed torch flags to a torch-free plugin:\n"
                      "${compile_commands}")
endif()
find_program(READELF readelf)
if(READELF)
  run_step("reading the example plugin's dependencies" dynamic ${READELF} -d ${plugin})
  if(dynamic MATCHES "lib(torch|c10)")
    message(FATAL_ERROR "the torch-free example plugin links torch:\n${dynamic}")
  endif()
endif()

set(dacrun ${prefix}/bin/dacrun)
run_step("dacrun plugins --kind stage" stages ${dacrun} plugins --kind stage)
expect_contains("installed dacrun, its own plugins" "${stages}"
                "system_check  version 1  from ${prefix}/lib/dacrun/plugins/dac_core_stages.so")

run_step("dacrun plugins --plugin" extractors
         ${dacrun} plugins --plugin ${plugin} --kind agreement_extractor)
expect_contains("installed dacrun, the example plugin" "${extractors}"
                "negation_verb  version 1  from ${plugin}")
expect_contains("installed dacrun, the example plugin" "${extractors}"
                "include_aux: bool = true")

# `dacrun extract` runs the example extractor on a tiny treebank: two sentences, each with a
# negation (advmod) of a verb.
set(treebank ${WORK_DIR}/negations.conllu)
string(JOIN "\n" treebank_lines
  "# sent_id = not"
  "# text = She did not run"
  "1\tShe\tshe\tPRON\tPRP\t_\t4\tnsubj\t_\t_"
  "2\tdid\tdo\tAUX\tVBD\t_\t4\taux\t_\t_"
  "3\tnot\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_"
  "4\trun\trun\tVERB\tVB\t_\t0\troot\t_\t_"
  ""
  "# sent_id = never"
  "# text = We never sing"
  "1\tWe\twe\tPRON\tPRP\t_\t3\tnsubj\t_\t_"
  "2\tnever\tnever\tADV\tRB\t_\t3\tadvmod\t_\t_"
  "3\tsing\tsing\tVERB\tVBP\t_\t0\troot\t_\t_"
  "" "")
file(WRITE ${treebank} "${treebank_lines}")
execute_process(
  COMMAND ${dacrun} extract --plugin ${plugin} --extractor negation_verb --conllu ${treebank}
  RESULT_VARIABLE code OUTPUT_VARIABLE chunks ERROR_VARIABLE summary)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "dacrun extract with the example plugin failed (exit ${code}):\n${summary}")
endif()
foreach(expected
    [[{"sent_id": "not", "type": "negation_verb", "controller": {"index": 2, "form": "not"}]]
    [["target": {"index": 3, "form": "run"}, "members": [{"index": 1, "form": "did"}]]
    [[{"sent_id": "never", "type": "negation_verb", "controller": {"index": 1, "form": "never"}]]
    [["target": {"index": 2, "form": "sing"}, "members": [{"index": 1, "form": "never"}]])
  expect_contains("dacrun extract with the example plugin" "${chunks}" "${expected}")
endforeach()
expect_contains("dacrun extract's summary" "${summary}" "2 sentences, 2 chunks")

# The extractor itself, loaded through PluginHost by the unit test that waits for this library.
run_step("the example extractor's unit test" unit_output
         ${CMAKE_COMMAND} -E env DAC_OUT_OF_TREE_PLUGIN=${plugin}
         ${UNIT_TESTS} --gtest_filter=OutOfTreePlugin.*)
expect_contains("the example extractor's unit test" "${unit_output}" "[  PASSED  ] 1 test")
string(FIND "${unit_output}" "SKIPPED" skipped)
if(NOT skipped EQUAL -1)
  message(FATAL_ERROR "the example extractor's unit test was skipped:\n${unit_output}")
endif()

file(REMOVE_RECURSE ${WORK_DIR})
