# Writes the input panels of the detection fixtures from the data sets bundled with R's
# `surveillance` package: tests/detect/fixtures/data/<dataset>.csv with columns
# period,series,count,population (period = 1-based index of the row within its series,
# population = the sts object's population(), full precision).
#
# Run from the repository root:  Rscript scripts/r/export_datasets.R

suppressMessages(library(surveillance))

out_dir <- file.path("tests", "detect", "fixtures", "data")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

datasets <- function() {
  data("salmonella.agona", "salmNewport", "ha.sts", "stsNewport", package = "surveillance",
       envir = environment())
  list(
    salmonella.agona = disProg2sts(salmonella.agona),
    salmNewport = salmNewport,
    ha = ha.sts,
    stsNewport = stsNewport
  )
}

write_panel <- function(sts, path) {
  obs <- observed(sts)
  pop <- population(sts)
  series <- colnames(obs)
  if (is.null(series)) series <- paste0("observed", seq_len(ncol(obs)))
  n <- nrow(obs)
  panel <- data.frame(
    period = rep(seq_len(n), times = ncol(obs)),
    series = rep(series, each = n),
    count = as.vector(obs),
    population = sprintf("%.17g", as.vector(pop))
  )
  write.csv(panel, path, row.names = FALSE, quote = FALSE)
}

for (name in names(sets <- datasets())) {
  write_panel(sets[[name]], file.path(out_dir, paste0(name, ".csv")))
  cat(name, ": ", nrow(sets[[name]]), " periods x ", ncol(sets[[name]]), " series\n", sep = "")
}
