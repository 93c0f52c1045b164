# Writes the reference results of R's surveillance::farrington and surveillance::farringtonFlexible
# for the input panels in tests/detect/fixtures/data/ (run scripts/r/export_datasets.R first):
#   tests/detect/fixtures/<method>/<dataset>__<case>.csv   period,series,count,expected,upperbound,alarm
#   tests/detect/fixtures/<method>/manifest.json           the cases and their options (Python names)
# for <method> in farrington, farrington-flexible.
#
# The panels are rebuilt as sts objects without dates, so history is counted in periods.
# farrington() keeps no expected value; the `expected` column holds the fitted mean at each period,
# which algo.farrington returns as the second column of control$pd (one series at a time).
# farringtonFlexible's expected is its control$expected.
#
# The data sets with a population that changes over time (for populationOffset) are not among the
# shared input panels; this script writes them next to its own results:
#   tests/detect/fixtures/farrington-flexible/input-momo.csv, input-rotaBB.csv
#
# Run from the repository root:  Rscript scripts/r/fixtures_farrington.R [farrington|farrington-flexible]
# (no argument: both methods)

suppressMessages(library(surveillance))
library(jsonlite)
source(file.path("scripts", "r", "common.R"))

args <- commandArgs(trailingOnly = TRUE)
methods <- if (length(args)) args else c("farrington", "farrington-flexible")

fixtures <- file.path("tests", "detect", "fixtures")
flex_dir <- file.path(fixtures, "farrington-flexible")
dir.create(file.path(fixtures, "farrington"), recursive = TRUE, showWarnings = FALSE)
dir.create(flex_dir, recursive = TRUE, showWarnings = FALSE)

read_panel <- function(path, freq) {
  panel <- read.csv(path, stringsAsFactors = FALSE)
  series <- unique(panel$series)
  column <- function(v) matrix(sapply(series, function(s) panel[[v]][panel$series == s]),
                               ncol = length(series), dimnames = list(NULL, series))
  sts(observed = column("count"), population = column("population"), frequency = freq, start = c(2001, 1))
}

# Data sets with a population that varies over time, written in the input format.
export_population_panel <- function(name) {
  e <- new.env()
  data(list = name, package = "surveillance", envir = e)
  s <- get(name, envir = e)
  obs <- observed(s)
  pop <- population(s)
  n <- nrow(obs)
  out <- data.frame(period = rep(seq_len(n), times = ncol(obs)),
                    series = rep(gsub("[^A-Za-z0-9.]+", "_", colnames(obs)), each = n),
                    count = as.vector(obs),
                    population = sprintf("%.17g", as.vector(pop)))
  file <- paste0("input-", name, ".csv")
  write.csv(out, file.path(flex_dir, file), row.names = FALSE, quote = FALSE)
  file
}

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
  write.csv(out, file.path(fixtures, method, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
}

write_manifest <- function(method, cases) {
  cases <- lapply(cases, function(c) {
    if (length(c$options) == 0) c$options <- setNames(list(), character(0))
    c
  })
  write_json_file(cases, file.path(fixtures, method, "manifest.json"))
}

# ---- farrington -------------------------------------------------------------------------------

far_cases <- list(
  list(data = "salmonella.agona", case = "default", control = list()),
  list(data = "salmonella.agona", case = "b3w2", control = list(b = 3, w = 2, alpha = 0.01)),
  list(data = "salmNewport", case = "default", control = list()),
  list(data = "salmNewport", case = "noreweight_notrend",
       control = list(reweight = FALSE, trend = FALSE, powertrans = "1/2", alpha = 0.1)),
  list(data = "ha", case = "default", control = list()),
  list(data = "ha", case = "b2w4", control = list(b = 2, w = 4, powertrans = "none", limit54 = c(3, 2),
                                                  alpha = 0.1)),
  list(data = "stsNewport", case = "default", control = list()),
  list(data = "stsNewport", case = "b4w2", control = list(b = 4, w = 2, alpha = 0.01, limit54 = c(0, 1)))
)

manifest <- list()
for (spec in if ("farrington" %in% methods) far_cases else list()) {
  s <- read_panel(file.path(fixtures, "data", paste0(spec$data, ".csv")), 52)
  obs <- observed(s)
  b <- if (is.null(spec$control$b)) 5 else spec$control$b
  w <- if (is.null(spec$control$w)) 3 else spec$control$w
  range <- (52 * b - w):nrow(obs)  # algo.farrington's default range
  control <- c(spec$control, list(range = range))
  res <- suppressWarnings(farrington(s, control = control))
  expected <- sapply(seq_len(ncol(obs)), function(j) {
    one <- suppressWarnings(algo.farrington(sts2disProg(s[, j]), control = control))
    stopifnot(all.equal(as.vector(one$upperbound), as.vector(upperbound(res)[, j])))
    one$control$pd[, 2]
  })
  name <- paste0(spec$data, "__", spec$case)
  write_case("farrington", name, range, obs, expected, upperbound(res), alarms(res))
  manifest[[length(manifest) + 1]] <- list(name = name, data = paste0(spec$data, ".csv"), freq = 52,
                                           range = c(min(range), max(range)),
                                           options = python_options(spec$control), result = paste0(name, ".csv"))
  cat("farrington", name, "\n")
}
if ("farrington" %in% methods) write_manifest("farrington", manifest)

# ---- farringtonFlexible -----------------------------------------------------------------------

noufaily <- list(noPeriods = 10, b = 4, w = 3, weightsThreshold = 2.58, pastWeeksNotIncluded = 26,
                 pThresholdTrend = 1, thresholdMethod = "nbPlugin")
original <- list(noPeriods = 1, b = 5, w = 3, weightsThreshold = 1, pastWeeksNotIncluded = 3,
                 pThresholdTrend = 0.05, thresholdMethod = "delta")
momo_file <- export_population_panel("momo")
rota_file <- export_population_panel("rotaBB")

flex_cases <- list(
  list(data = "salmonella.agona", case = "default", control = list()),
  list(data = "salmonella.agona", case = "original", control = original),
  list(data = "salmonella.agona", case = "noufaily", control = noufaily),
  list(data = "salmonella.agona", case = "b3w2_notrend",
       control = list(b = 3, w = 2, trend = FALSE, alpha = 0.01, limit54 = c(3, 3), pastWeeksNotIncluded = 1,
                      powertrans = "1/2")),
  list(data = "salmNewport", case = "default", control = list()),
  list(data = "salmNewport", case = "original", control = original),
  list(data = "salmNewport", case = "noufaily", control = noufaily, range = c(300, 528)),
  list(data = "salmNewport", case = "noufaily_muan", control = modifyList(noufaily, list(thresholdMethod = "muan"))),
  list(data = "salmNewport", case = "noufaily_delta",
       control = modifyList(noufaily, list(thresholdMethod = "delta", pThresholdTrend = 0.05))),
  list(data = "ha", case = "default", control = list()),
  list(data = "ha", case = "noufaily", control = noufaily),
  list(data = "ha", case = "noreweight_none",
       control = list(b = 3, w = 2, reweight = FALSE, powertrans = "none", alpha = 0.1, noPeriods = 4)),
  list(data = "stsNewport", case = "default", control = list()),
  list(data = "stsNewport", case = "original", control = original),
  list(data = "stsNewport", case = "noufaily", control = noufaily),
  list(data = "stsNewport", case = "noufaily_muan", control = modifyList(noufaily, list(thresholdMethod = "muan"))),
  list(data = "momo", file = momo_file, case = "noufaily_population",
       control = modifyList(noufaily, list(populationOffset = TRUE)), range = c(600, 782)),
  list(data = "momo", file = momo_file, case = "delta_population",
       control = list(populationOffset = TRUE, b = 3, w = 2, noPeriods = 3, limit54 = c(0, 1)), range = c(600, 782)),
  list(data = "rotaBB", file = rota_file, case = "monthly_population", freq = 12,
       control = list(populationOffset = TRUE, b = 3, w = 1, noPeriods = 3, thresholdMethod = "muan",
                      pastWeeksNotIncluded = 2))
)

manifest <- list()
for (spec in if ("farrington-flexible" %in% methods) flex_cases else list()) {
  freq <- if (is.null(spec$freq)) 52 else spec$freq
  file <- if (is.null(spec$file)) file.path("data", paste0(spec$data, ".csv")) else file.path(
    "farrington-flexible", spec$file)
  s <- read_panel(file.path(fixtures, file), freq)
  obs <- observed(s)
  b <- if (is.null(spec$control$b)) 5 else spec$control$b
  w <- if (is.null(spec$control$w)) 3 else spec$control$w
  range <- if (is.null(spec$range)) (freq * b + w + 1):nrow(obs) else spec$range[1]:spec$range[2]
  control <- c(spec$control, list(range = range, glmWarnings = FALSE))
  res <- suppressWarnings(farringtonFlexible(s, control = control))
  name <- paste0(spec$data, "__", spec$case)
  write_case("farrington-flexible", name, range, obs, res@control$expected, upperbound(res), alarms(res))
  data_ref <- if (is.null(spec$file)) paste0(spec$data, ".csv") else file.path("..", "farrington-flexible", spec$file)
  manifest[[length(manifest) + 1]] <- list(name = name, data = data_ref, freq = freq,
                                           range = c(min(range), max(range)),
                                           options = python_options(spec$control), result = paste0(name, ".csv"))
  cat("farrington-flexible", name, "\n")
}
if ("farrington-flexible" %in% methods) write_manifest("farrington-flexible", manifest)
