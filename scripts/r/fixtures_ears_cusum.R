# Writes the reference results of R's surveillance::earsC (C1, C2, C3) and surveillance::cusum
# for the input panels in tests/detect/fixtures/data/ (run scripts/r/export_datasets.R first):
#   tests/detect/fixtures/<method>/<dataset>__<case>.csv   period,series,count,expected,upperbound,alarm
#   tests/detect/fixtures/<method>/manifest.json           the cases and their options (Python names)
# for <method> in ears-c1, ears-c2, ears-c3, cusum.
#
# R stores no expected value for these methods; the `expected` column holds what they compare
# against, computed here in R: for earsC the mean of the baseline window (C2's window for C3), for
# cusum the in-control mean m that algo.cusum used (control$m).
#
# Run from the repository root:  Rscript scripts/r/fixtures_ears_cusum.R

suppressMessages(library(surveillance))
library(jsonlite)

fixtures <- file.path("tests", "detect", "fixtures")
FREQ <- 52  # all four data sets are weekly
DATASETS <- c("salmonella.agona", "salmNewport", "ha", "stsNewport")

read_panel <- function(name) {
  panel <- read.csv(file.path(fixtures, "data", paste0(name, ".csv")), stringsAsFactors = FALSE)
  series <- unique(panel$series)
  obs <- sapply(series, function(s) panel$count[panel$series == s])
  obs <- matrix(obs, ncol = length(series), dimnames = list(NULL, series))
  sts(observed = obs, freq = FREQ, start = c(2001, 1))
}

source(file.path("scripts", "r", "common.R"))

write_case <- function(method, name, range, obs, expected, upper, alarm) {
  series <- colnames(obs)
  n <- length(range)
  out <- data.frame(
    period = rep(range, times = ncol(obs)),
    series = rep(series, each = n),
    count = as.vector(obs[range, , drop = FALSE]),
    expected = num(as.vector(expected)),
    upperbound = num(as.vector(upper)),
    alarm = ifelse(is.na(as.vector(alarm)), "", as.integer(as.vector(alarm)))
  )
  folder <- file.path(fixtures, method)
  dir.create(folder, recursive = TRUE, showWarnings = FALSE)
  write.csv(out, file.path(folder, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
}

write_manifest <- function(method, cases) {
  # An empty R list would become a JSON array; options must be an object.
  cases <- lapply(cases, function(c) {
    if (length(c$options) == 0) c$options <- setNames(list(), character(0))
    c
  })
  writeLines(toJSON(cases, auto_unbox = TRUE, pretty = TRUE, digits = NA, null = "null"),
             file.path(fixtures, method, "manifest.json"))
}

# ---- EARS -------------------------------------------------------------------------------------

# Mean of the baseline window that earsC uses for period t: C1 looks at t-b..t-1, C2 and C3 at t-b-2..t-3.
baseline_mean <- function(obs, range, baseline, method) {
  first_lag <- if (method == "C1") 1 else 3
  apply(obs, 2, function(x) sapply(range, function(t) mean(x[t - first_lag - seq_len(baseline) + 1])))
}

ears_cases <- function(n) list(
  list(case = "default", control = list(), options = list()),
  list(case = "opts", control = list(baseline = 10, alpha = 0.01, minSigma = 0.5, range = (n - 199):n),
       options = list(baseline = 10, alpha = 0.01, min_sigma = 0.5)),
  list(case = "short", control = list(baseline = 3, alpha = 0.05, range = 60:n),
       options = list(baseline = 3, alpha = 0.05))
)

for (method in c("C1", "C2", "C3")) {
  folder <- paste0("ears-", tolower(method))
  manifest <- list()
  for (data_name in DATASETS) {
    sts <- read_panel(data_name)
    obs <- observed(sts)
    for (spec in ears_cases(nrow(obs))) {
      control <- c(list(method = method), spec$control)
      res <- earsC(sts, control = control)
      range <- res@control$range
      baseline <- if (is.null(spec$control$baseline)) 7 else spec$control$baseline
      name <- paste0(data_name, "__", spec$case)
      write_case(folder, name, range, obs, baseline_mean(obs, range, baseline, method),
                 upperbound(res), alarms(res))
      manifest[[length(manifest) + 1]] <- list(
        name = name, data = paste0(data_name, ".csv"), freq = FREQ, range = c(min(range), max(range)),
        options = spec$options, default_range = is.null(spec$control$range), result = paste0(name, ".csv"))
    }
  }
  write_manifest(folder, manifest)
  cat(folder, ": ", length(manifest), " cases\n", sep = "")
}

# ---- CUSUM ------------------------------------------------------------------------------------

cusum_cases <- function(n) list(
  list(case = "standard", control = list(range = (FREQ + 1):n), options = list(), default_range = TRUE),
  list(case = "rossi", control = list(range = (FREQ + 1):n, trans = "rossi"), options = list(trans = "rossi")),
  list(case = "anscombe", control = list(range = (FREQ + 1):n, trans = "anscombe"),
       options = list(trans = "anscombe")),
  list(case = "anscombe2nd", control = list(range = (FREQ + 1):n, trans = "anscombe2nd"),
       options = list(trans = "anscombe2nd")),
  list(case = "pearsonNegBin", control = list(range = (FREQ + 1):n, trans = "pearsonNegBin", alpha = 0.3),
       options = list(trans = "pearsonNegBin", alpha = 0.3)),
  list(case = "anscombeNegBin", control = list(range = (FREQ + 1):n, trans = "anscombeNegBin"),
       options = list(trans = "anscombeNegBin")),
  list(case = "none", control = list(range = (FREQ + 1):n, trans = "none", k = 3, h = 10),
       options = list(trans = "none", k = 3, h = 10)),
  list(case = "m_k_h", control = list(range = 200:n, m = 2.5, k = 0.5, h = 4),
       options = list(m = 2.5, k = 0.5, h = 4)),
  list(case = "glm", control = list(range = (2 * FREQ + 1):n, m = "glm"), options = list(m = "glm")),
  list(case = "glm_rossi", control = list(range = (2 * FREQ + 1):n, m = "glm", trans = "rossi", h = 3),
       options = list(m = "glm", trans = "rossi", h = 3))
)

manifest <- list()
for (data_name in DATASETS) {
  sts <- read_panel(data_name)
  obs <- observed(sts)
  for (spec in cusum_cases(nrow(obs))) {
    range <- spec$control$range
    expected <- upper <- alarm <- matrix(NA_real_, length(range), ncol(obs))
    # One series at a time, to keep each series' control$m (wrap.algo keeps only the last one).
    for (j in seq_len(ncol(obs))) {
      res <- suppressWarnings(cusum(sts[, j], control = spec$control))
      upper[, j] <- upperbound(res)
      alarm[, j] <- alarms(res)
      expected[, j] <- res@control$m
    }
    name <- paste0(data_name, "__", spec$case)
    write_case("cusum", name, range, obs, expected, upper, alarm)
    manifest[[length(manifest) + 1]] <- list(
      name = name, data = paste0(data_name, ".csv"), freq = FREQ, range = c(min(range), max(range)),
      options = spec$options, default_range = isTRUE(spec$default_range), result = paste0(name, ".csv"))
  }
}
write_manifest("cusum", manifest)
cat("cusum: ", length(manifest), " cases\n", sep = "")
