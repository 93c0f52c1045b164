# Reference results of R's surveillance::rki, surveillance::bayes and surveillance::outbreakP (the
# sts wrappers of algo.rki, algo.bayes and algo.outbreakP) on the input panels in
# tests/detect/fixtures/data/ and on the dated data sets of scripts/r/fixtures_dated.R (run that and
# scripts/r/export_datasets.R first). rki and bayes count periods even on dated data, as R does.
#   tests/detect/fixtures/<method>/<dataset>__<case>.csv   period,series,count,expected,upperbound,alarm
#   tests/detect/fixtures/<method>/manifest.json           the cases and their options (Python names)
# for <method> in rki, bayes, outbreakP.
#
# R keeps no expected value for these methods; `expected` holds, computed here in R, the mean of
# the reference values (rki), the predictive mean (sum + 1/2) / n (bayes), and NA (outbreakP).
# Cases named rki1..3 / bayes1..3 use R's presets (algo.rki1 ... algo.bayes3 are these controls).
#
# Run from the repository root:  Rscript scripts/r/fixtures_rki_bayes_outbreakp.R

suppressMessages(library(surveillance))
library(jsonlite)
source(file.path("scripts", "r", "common.R"))

fixtures <- file.path("tests", "detect", "fixtures")
for (m in c("rki", "bayes", "outbreakP")) dir.create(file.path(fixtures, m), showWarnings = FALSE)

read_dated <- function(name) {
  panel <- read.csv(file.path(fixtures, "dated", paste0("input-", name, ".csv")), stringsAsFactors = FALSE)
  series <- unique(panel$series)
  obs <- matrix(sapply(series, function(s) panel$count[panel$series == s]), ncol = length(series),
                dimnames = list(NULL, series))
  freq <- if (name == "rotaBB") 12 else 52
  sts(observed = obs, frequency = freq, start = c(2001, 1))
}

load_data <- function(name) {
  if (file.exists(file.path(fixtures, "data", paste0(name, ".csv")))) {
    return(list(sts = read_panel(file.path(fixtures, "data", paste0(name, ".csv")), 52),
                file = paste0(name, ".csv")))
  }
  list(sts = read_dated(name), file = file.path("..", "dated", paste0("input-", name, ".csv")))
}

presets <- list(
  rki1 = list(b = 0, w = 6, actY = TRUE), rki2 = list(b = 1, w = 6, actY = TRUE),
  rki3 = list(b = 2, w = 4, actY = FALSE),
  bayes1 = list(b = 0, w = 6, actY = TRUE, alpha = 0.05), bayes2 = list(b = 1, w = 6, actY = TRUE, alpha = 0.05),
  bayes3 = list(b = 2, w = 4, actY = FALSE, alpha = 0.05)
)

basevec_lags <- function(freq, b, w, actY) {
  lags <- if (actY) w:1 else integer(0)
  if (b >= 1) for (i in 1:b) lags <- c(lags, i * freq - (-w:w))
  lags
}

options_of <- function(control) {
  names_map <- c(b = "b", w = "w", actY = "act_y", alpha = "alpha", k = "k", ret = "ret",
                 maxUpperboundCases = "max_upperbound_cases")
  out <- setNames(list(), character(0))
  for (k in names(control)) out[[names_map[[k]]]] <- control[[k]]
  out
}

run_case <- function(method, data, case, control, range = NULL) {
  d <- load_data(data)
  s <- d$sts
  obs <- observed(s)
  freq <- s@freq
  if (method %in% c("rki", "bayes")) {
    lags <- basevec_lags(freq, control$b, control$w, control$actY)
    if (is.null(range)) range <- (max(lags) + 1):nrow(obs)
    fun <- if (method == "rki") rki else bayes
    res <- suppressWarnings(fun(s, control = c(control, list(range = range))))
    expected <- sapply(seq_len(ncol(obs)), function(j) sapply(range, function(t) {
      base <- obs[t - lags, j]
      if (method == "rki") mean(base) else (sum(base) + 0.5) / length(base)
    }))
  } else {
    if (is.null(range)) range <- 1:nrow(obs)
    res <- outbreakP(s, control = c(control, list(range = range)))
    expected <- matrix(NA_real_, length(range), ncol(obs))
  }
  name <- paste0(data, "__", case)
  write_case(method, name, range, obs, expected, upperbound(res), alarms(res))
  cat(method, name, "\n")
  list(name = name, data = d$file, freq = freq, range = c(min(range), max(range)),
       options = options_of(control), result = paste0(name, ".csv"))
}

for (method in c("rki", "bayes")) {
  manifest <- list()
  for (data in c("salmonella.agona", "salmNewport", "ha", "stsNewport", "momo", "rotaBB")) {
    for (p in names(presets)[startsWith(names(presets), method)]) {
      manifest[[length(manifest) + 1]] <- run_case(method, data, p, presets[[p]])
    }
  }
  custom <- if (method == "rki") list(b = 1, w = 3, actY = FALSE) else list(b = 3, w = 2, actY = TRUE, alpha = 0.01)
  for (data in c("ha", "stsNewport", "rotaBB")) {
    manifest[[length(manifest) + 1]] <- run_case(method, data, "custom", custom)
  }
  write_json_file(manifest, file.path(fixtures, method, "manifest.json"))
}

manifest <- list(
  run_case("outbreakP", "salmonella.agona", "value", list(k = 100, ret = "value")),
  run_case("outbreakP", "ha", "value_k50", list(k = 50, ret = "value")),
  run_case("outbreakP", "stsNewport", "value", list(k = 100, ret = "value"), range = 1:400),
  run_case("outbreakP", "salmonella.agona", "cases", list(k = 100, ret = "cases"), range = 1:120),
  run_case("outbreakP", "ha", "cases_k20", list(k = 20, ret = "cases", maxUpperboundCases = 200), range = 1:60),
  run_case("outbreakP", "rotaBB", "cases", list(k = 100, ret = "cases"), range = 1:48)
)
write_json_file(manifest, file.path(fixtures, "outbreakP", "manifest.json"))
