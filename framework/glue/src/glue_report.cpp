// Writes an experiment's GLUE report: the table as Markdown and CSV, the scores chart and the
// fine-tuning curves.
#include "dac/glue/glue_report.hpp"

#include <system_error>

#include "dac/error.hpp"
#include "dac/glue/glue_plots.hpp"
#include "dac/glue/glue_table_text.hpp"
#include "dac/glue/glue_zeroed_types.hpp"
#include "dac/summary.hpp"

namespace dac::glue {

std::vector<std::filesystem::path> write_glue_report(const std::filesystem::path& folder,
                                                     const std::vector<ModelRuns>& models,
                                                     const GlueTableOptions& options) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error)
    throw UserError("cannot create the folder '" + folder.string() + "': " + error.message());
  const GlueTable table = build_glue_table(models, options);
  std::vector<std::filesystem::path> written = {folder / "glue_table.md", folder / "glue_table.csv",
                                                folder / "glue_scores.svg"};
  write_file_atomically(written[0], glue_table_markdown(table) + zeroed_types_markdown(models));
  write_file_atomically(written[1], glue_table_csv(table));
  write_interval_svg(written[2], glue_scores_chart(table));
  for (const CurveChart& curves : glue_curve_charts(models)) {
    written.push_back(folder / (curves.file_stem + ".svg"));
    write_svg(written.back(), curves.chart);
  }
  return written;
}

}  // namespace dac::glue
