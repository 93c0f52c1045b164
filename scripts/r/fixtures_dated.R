# Reference results of R's surveillance::farrington and surveillance::farringtonFlexible on the
# package's data sets AS THEY SHIP: sts objects whose epochs are dates (epochAsDate = TRUE), weekly
# and monthly, with and without population offsets. R then chooses reference periods by calendar
# date (b years back, a window of w periods around each), which differs from counting periods.
#
# Writes, under tests/detect/fixtures/dated/:
#   input-<dataset>.csv       period,series,count,population   period = the epoch as R prints it (YYYY-MM-DD)
#   <method>__<dataset>__<case>.csv
#                             period,series,count,expected,upperbound,alarm,trend,score,phi
#                             for the evaluated range (NA as an empty field; score and phi only for
#                             farringtonFlexible, R's control$score and control$phiVector)
#   manifest.json             the cases: method, data set, freq, range (1-based), options (Python names)
#
# farrington's expected is the fitted mean (second column of algo.farrington's control$pd) and its
# trend the model's doTrend, both from algo.farrington run one series at a time.
#
# Run from the repository root:  Rscript scripts/r/fixtures_dated.R     (about 3 minutes)

suppressMessages(library(surveillance))
library(jsonlite)
source(file.path("scripts", "r", "common.R"))

out_dir <- file.path("tests", "detect", "fixtures", "dated")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

load_sts <- function(name) {
  e <- new.env()
  data(list = name, package = "surveillance", envir = e)
  s <- get(name, envir = e)
  stopifnot(s@epochAsDate)
  colnames(s@observed) <- series_names(s)
  s
}

series_names <- function(s) {
  names <- colnames(observed(s))
  if (is.null(names)) names <- paste0("observed", seq_len(ncol(observed(s))))
  gsub("[^A-Za-z0-9.]+", "_", names)
}

export_input <- function(name, s) {
  obs <- observed(s)
  n <- nrow(obs)
  out <- data.frame(period = rep(format(epoch(s)), times = ncol(obs)),
                    series = rep(colnames(obs), each = n),
                    count = as.vector(obs),
                    population = sprintf("%.17g", as.vector(population(s))))
  write.csv(out, file.path(out_dir, paste0("input-", name, ".csv")), row.names = FALSE, quote = FALSE)
}

write_result <- function(file, s, range, expected, upper, alarm, trend, score, phi) {
  obs <- observed(s)
  n <- length(range)
  out <- data.frame(
    period = rep(format(epoch(s))[range], times = ncol(obs)),
    series = rep(colnames(obs), each = n),
    count = as.vector(obs[range, , drop = FALSE]),
    expected = num(as.vector(expected)),
    upperbound = num(as.vector(upper)),
    alarm = ifelse(is.na(as.vector(alarm)), "", as.integer(as.vector(alarm))),
    trend = ifelse(is.na(as.vector(trend)), "", as.integer(as.vector(trend))),
    score = num(as.vector(score)),
    phi = num(as.vector(phi))
  )
  write.csv(out, file.path(out_dir, file), row.names = FALSE, quote = FALSE)
}

noufaily <- list(noPeriods = 10, b = 4, w = 3, weightsThreshold = 2.58, pastWeeksNotIncluded = 26,
                 pThresholdTrend = 1, thresholdMethod = "nbPlugin")
original <- list(noPeriods = 1, b = 5, w = 3, weightsThreshold = 1, pastWeeksNotIncluded = 3,
                 pThresholdTrend = 0.05, thresholdMethod = "delta")

cases <- list(
  list(method = "farrington", data = "salmNewport", case = "default", control = list()),
  list(method = "farrington", data = "salmNewport", case = "b3w2", control = list(b = 3, w = 2, alpha = 0.01)),
  list(method = "farrington", data = "stsNewport", case = "default", control = list()),
  list(method = "farrington", data = "stsNewport", case = "b4w2_notrend",
       control = list(b = 4, w = 2, trend = FALSE, powertrans = "1/2", limit54 = c(0, 1))),
  list(method = "farrington", data = "salmAllOnset", case = "default", control = list()),
  list(method = "farrington", data = "salmHospitalized", case = "default", control = list()),
  list(method = "farrington", data = "momo", case = "default", control = list(), range = c(500, 782)),
  list(method = "farrington", data = "rotaBB", case = "default", control = list()),
  list(method = "farrington", data = "rotaBB", case = "b3w1", control = list(b = 3, w = 1, alpha = 0.1,
                                                                         limit54 = c(3, 2))),
  list(method = "farrington-flexible", data = "salmNewport", case = "default", control = list()),
  list(method = "farrington-flexible", data = "salmNewport", case = "noufaily", control = noufaily,
       range = c(300, 528)),
  list(method = "farrington-flexible", data = "stsNewport", case = "original", control = original),
  list(method = "farrington-flexible", data = "stsNewport", case = "noufaily_muan",
       control = modifyList(noufaily, list(thresholdMethod = "muan")), range = c(300, 773)),
  list(method = "farrington-flexible", data = "salmAllOnset", case = "noufaily", control = noufaily,
       range = c(400, 778)),
  list(method = "farrington-flexible", data = "salmHospitalized", case = "delta_population",
       control = list(populationOffset = TRUE, b = 3, w = 2, noPeriods = 3, limit54 = c(0, 1))),
  list(method = "farrington-flexible", data = "momo", case = "noufaily_population",
       control = modifyList(noufaily, list(populationOffset = TRUE)), range = c(600, 782)),
  list(method = "farrington-flexible", data = "momo", case = "default", control = list(), range = c(600, 782)),
  list(method = "farrington-flexible", data = "rotaBB", case = "default", control = list()),
  list(method = "farrington-flexible", data = "rotaBB", case = "monthly_population",
       control = list(populationOffset = TRUE, b = 3, w = 1, noPeriods = 3, thresholdMethod = "muan",
                      pastWeeksNotIncluded = 2))
)

exported <- character(0)
manifest <- list()
for (spec in cases) {
  s <- load_sts(spec$data)
  if (!(spec$data %in% exported)) {
    export_input(spec$data, s)
    exported <- c(exported, spec$data)
  }
  obs <- observed(s)
  freq <- s@freq
  b <- if (is.null(spec$control$b)) 5 else spec$control$b
  w <- if (is.null(spec$control$w)) 3 else spec$control$w
  default_range <- if (spec$method == "farrington") (freq * b - w):nrow(obs) else (freq * b + w + 1):nrow(obs)
  range <- if (is.null(spec$range)) default_range else spec$range[1]:spec$range[2]
  control <- c(spec$control, list(range = range))
  if (spec$method == "farrington") {
    res <- suppressWarnings(farrington(s, control = control))
    per_series <- lapply(seq_len(ncol(obs)), function(j) {
      one <- suppressWarnings(algo.farrington(sts2disProg(s[, j]), control = control))
      stopifnot(all.equal(as.vector(one$upperbound), as.vector(upperbound(res)[, j])))
      one
    })
    expected <- sapply(per_series, function(one) one$control$pd[, 2])
    trend <- sapply(per_series, function(one) one$trend)
    na <- matrix(NA_real_, length(range), ncol(obs))
    score <- phi <- na
  } else {
    res <- suppressWarnings(farringtonFlexible(s, control = c(control, list(glmWarnings = FALSE))))
    expected <- res@control$expected
    trend <- res@control$trend
    score <- res@control$score
    phi <- res@control$phiVector
  }
  name <- paste(spec$method, spec$data, spec$case, sep = "__")
  write_result(paste0(name, ".csv"), s, range, expected, upperbound(res), alarms(res), trend, score, phi)
  manifest[[length(manifest) + 1]] <- list(
    name = name, method = spec$method, data = paste0("input-", spec$data, ".csv"), freq = freq,
    range = c(min(range), max(range)), default_range = is.null(spec$range),
    options = python_options(spec$control), result = paste0(name, ".csv"))
  cat(name, "\n")
}
write_json_file(manifest, file.path(out_dir, "manifest.json"))
