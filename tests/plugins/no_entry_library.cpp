// Test library that is a valid shared library but not a dacrun plugin (no entry point).
extern "C" int dac_test_some_function() {
  return 42;
}
