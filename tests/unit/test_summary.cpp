// Result tables: CSV quoting, Markdown escaping and alignment, and atomic writes.
#include <gtest/gtest.h>

#include "dac/error.hpp"
#include "dac/summary.hpp"
#include "support/test_support.hpp"

namespace dac {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::TempDir;

ResultTable runs_table() {
  ResultTable table;
  for (const char* column : {"run", "lr", "loss", "note"}) table.add_column(column);
  table.rows.push_back({{"run", "base"}, {"lr", "0.001"}, {"loss", "2.31"}, {"note", "ok"}});
  table.rows.push_back({{"run", "wide"}, {"lr", "3e-4"}, {"note", "diverged, restarted"}});
  table.rows.push_back(
      {{"run", "x|y"}, {"lr", "1"}, {"loss", "nan"}, {"note", "said \"hi\"\nbye"}});
  return table;
}

TEST(ResultTableTest, AddColumnKeepsFirstSeenOrder) {
  ResultTable table;
  table.add_column("b");
  table.add_column("a");
  table.add_column("b");
  EXPECT_EQ(table.columns, (std::vector<std::string>{"b", "a"}));
}

TEST(ResultTableTest, CsvQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(to_csv(runs_table()),
            "run,lr,loss,note\n"
            "base,0.001,2.31,ok\n"
            "wide,3e-4,,\"diverged, restarted\"\n"
            "x|y,1,nan,\"said \"\"hi\"\"\nbye\"\n");
}

TEST(ResultTableTest, CsvQuotesHeadersAndCarriageReturns) {
  ResultTable table;
  table.add_column("a,b");
  table.add_column("c");
  table.rows.push_back({{"a,b", "1"}, {"c", "line\r"}});
  EXPECT_EQ(to_csv(table), "\"a,b\",c\n1,\"line\r\"\n");
}

TEST(ResultTableTest, MarkdownEscapesAndRightAlignsNumbers) {
  EXPECT_EQ(to_markdown(runs_table()),
            "| run | lr | loss | note |\n"
            "|---|---:|---:|---|\n"
            "| base | 0.001 | 2.31 | ok |\n"
            "| wide | 3e-4 |  | diverged, restarted |\n"
            "| x\\|y | 1 | nan | said \"hi\" bye |\n");
}

TEST(ResultTableTest, MarkdownLeftAlignsEmptyAndMixedColumns) {
  ResultTable table;
  table.add_column("empty");
  table.add_column("mixed");
  table.add_column("spaced");
  table.rows.push_back({{"mixed", "1"}, {"spaced", " 2"}});
  table.rows.push_back({{"mixed", "95%"}, {"spaced", "3\r\n4"}});
  EXPECT_EQ(to_markdown(table),
            "| empty | mixed | spaced |\n"
            "|---|---|---|\n"
            "|  | 1 |  2 |\n"
            "|  | 95% | 3 4 |\n");
}

TEST(ResultTableTest, EmptyTableRendersNothing) {
  EXPECT_EQ(to_csv(ResultTable{}), "");
  EXPECT_EQ(to_markdown(ResultTable{}), "");
}

TEST(WriteFileAtomicallyTest, CreatesFoldersAndReplacesWithoutLeftovers) {
  TempDir dir;
  auto path = dir / "summary/deep/results.csv";
  write_file_atomically(path, "first\n");
  write_file_atomically(path, "second\n");
  EXPECT_EQ(read_file(path), "second\n");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(path.parent_path()))
    names.push_back(entry.path().filename().string());
  EXPECT_EQ(names, (std::vector<std::string>{"results.csv"}));
}

TEST(WriteFileAtomicallyTest, FailureIsAUserErrorNamingThePath) {
  TempDir dir;
  test::write_file(dir / "file", "not a folder");
  auto path = dir / "file/results.csv";
  try {
    write_file_atomically(path, "x");
    FAIL() << "expected a UserError";
  } catch (const UserError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("cannot write '" + path.string() + "': ", 0), 0u)
        << error.what();
  }
}

TEST(WriteFileAtomicallyTest, RenameOntoAFolderFailsAndCleansUp) {
  TempDir dir;
  fs::create_directories(dir / "results.md/inside");
  EXPECT_THROW(write_file_atomically(dir / "results.md", "x"), UserError);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u);  // the temporary file is gone
}

TEST(WriteResultTableTest, WritesBothRenderings) {
  TempDir dir;
  ResultTable table = runs_table();
  write_result_table(table, dir / "out/summary.csv", dir / "out/summary.md");
  EXPECT_EQ(read_file(dir / "out/summary.csv"), to_csv(table));
  EXPECT_EQ(read_file(dir / "out/summary.md"), to_markdown(table));
}

}  // namespace
}  // namespace dac
