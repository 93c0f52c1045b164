# Reference results of R's surveillance::algo.glrnb (glrpois: alpha = 0; glrnb: alpha > 0 or NULL,
# estimated by MASS::glm.nb), the intercept and epidemic charts, on the input panels in tests/detect/fixtures/data/ and on the dated data sets of
# scripts/r/fixtures_dated.R (run that and scripts/r/export_datasets.R first), one series at a time:
#   tests/detect/fixtures/<method>/<dataset>__<case>.csv   period,series,count,expected,upperbound,alarm
#   tests/detect/fixtures/<method>/manifest.json           the cases and their options (Python names)
# for <method> in glrpois, glrnb. `expected` is the in-control mean mu0 algo.glrnb used (control$mu0).
#
# Run from the repository root:  Rscript scripts/r/fixtures_glr.R

suppressMessages(library(surveillance))
library(jsonlite)
source(file.path("scripts", "r", "common.R"))

fixtures <- file.path("tests", "detect", "fixtures")
for (m in c("glrpois", "glrnb")) dir.create(file.path(fixtures, m), showWarnings = FALSE)

load_data <- function(name) {
  own <- file.path(fixtures, "data", paste0(name, ".csv"))
  if (file.exists(own)) return(list(sts = read_panel(own, 52), file = paste0(name, ".csv")))
  path <- file.path(fixtures, "dated", paste0("input-", name, ".csv"))
  list(sts = read_panel(path, if (name == "rotaBB") 12 else 52),
       file = file.path("..", "dated", paste0("input-", name, ".csv")))
}

options_of <- function(control, alpha) {
  out <- setNames(list(), character(0))
  if (!is.null(alpha) && alpha > 0) out$alpha <- alpha
  map <- c(c.ARL = "c_arl", M = "M", Mtilde = "Mtilde", theta = "theta", dir = "direction", ret = "ret",
           change = "change", xMax = "x_max")
  for (k in names(control)) {
    if (k == "mu0") {
      if (!is.null(control$mu0$S)) out$S <- control$mu0$S
      if (!is.null(control$mu0$trend)) out$trend <- control$mu0$trend
      if (!is.null(control$mu0$refit)) out$refit <- control$mu0$refit
    } else out[[map[[k]]]] <- control[[k]]
  }
  out
}

run_case <- function(method, data, case, control, range, alpha = 0) {
  d <- load_data(data)
  s <- d$sts
  obs <- observed(s)
  ctrl <- c(control, list(range = range, alpha = alpha))  # alpha = NULL stays in the list: estimated
  per <- lapply(seq_len(ncol(obs)), function(j) {
    suppressMessages(algo.glrnb(sts2disProg(s[, j]), control = ctrl))
  })
  expected <- sapply(per, function(r) r$control$mu0)
  upper <- sapply(per, function(r) as.vector(r$upperbound))
  alarm <- sapply(per, function(r) as.vector(r$alarm))
  name <- paste0(data, "__", case)
  write_case(method, name, range, obs, expected, upper, alarm)
  cat(method, name, sum(alarm), "alarms\n")
  out <- list(name = name, data = d$file, freq = s@freq, range = c(min(range), max(range)),
              options = options_of(control, alpha), result = paste0(name, ".csv"))
  # glm.nb's dispersion by series, when algo.glrnb estimated it
  if (is.null(alpha)) out$r_alpha <- setNames(as.list(sapply(per, function(r) r$control$alpha)), colnames(obs))
  out
}

pois <- list(
  run_case("glrpois", "salmonella.agona", "default", list(c.ARL = 5), 105:312),
  run_case("glrpois", "ha", "cases", list(c.ARL = 4, ret = "cases"), 105:290),
  run_case("glrpois", "stsNewport", "window_dec", list(c.ARL = 3, M = 52, Mtilde = 2, dir = "dec"), 209:773),
  run_case("glrpois", "salmNewport", "theta_trend", list(c.ARL = 3, theta = log(2), mu0 = list(S = 2, trend = TRUE)),
           261:528),
  run_case("glrpois", "rotaBB", "monthly_window", list(c.ARL = 6, M = 12, mu0 = list(S = 1, trend = TRUE)), 49:144),
  run_case("glrpois", "momo", "window_cases", list(c.ARL = 5, M = 20, ret = "cases"), 521:650),
  # epidemic chart; several alarms, each restarting the chart with x_{t-1} = the alarm's count
  run_case("glrpois", "ha", "epi", list(c.ARL = 3, change = "epi"), 105:290),
  run_case("glrpois", "stsNewport", "epi_window", list(c.ARL = 4, change = "epi", M = 52, Mtilde = 2,
                                                       mu0 = list(S = 2)), 209:773),
  # mu0 refitted after each alarm, several alarms per series
  run_case("glrpois", "salmNewport", "refit", list(c.ARL = 3, mu0 = list(S = 1, trend = TRUE, refit = TRUE)),
           261:528)
)
write_json_file(pois, file.path(fixtures, "glrpois", "manifest.json"))

nb <- list(
  run_case("glrnb", "salmonella.agona", "alpha02", list(c.ARL = 5), 105:312, alpha = 0.2),
  run_case("glrnb", "stsNewport", "window", list(c.ARL = 3, M = 26, Mtilde = 2), 209:500, alpha = 0.1),
  run_case("glrnb", "ha", "theta", list(c.ARL = 2, theta = 0.7, mu0 = list(S = 2)), 105:290, alpha = 0.5),
  run_case("glrnb", "momo", "window_dec", list(c.ARL = 4, M = 30, dir = "dec", mu0 = list(trend = TRUE)), 521:700,
           alpha = 0.05),
  run_case("glrnb", "rotaBB", "monthly", list(c.ARL = 5, M = 24), 49:144, alpha = 0.3),
  # alpha = NULL: the dispersion from MASS::glm.nb on the periods before the range
  run_case("glrnb", "salmNewport", "alpha_null", list(c.ARL = 3, mu0 = list(S = 2, trend = TRUE)), 261:528,
           alpha = NULL),
  run_case("glrnb", "momo", "alpha_null_window", list(c.ARL = 4, M = 52, Mtilde = 2), 521:700, alpha = NULL),
  # epidemic chart, given and estimated alpha, several alarms
  run_case("glrnb", "ha", "epi", list(c.ARL = 3, change = "epi"), 105:290, alpha = 0.2),
  run_case("glrnb", "stsNewport", "epi_alpha_null_window", list(c.ARL = 4, change = "epi", M = 30), 209:500,
           alpha = NULL),
  # ret = "cases": R's brute-force search (intercept chart), and the known-change CUSUM's cases
  # (R's search reruns the chart for every count tried: seconds per period, so short series here)
  run_case("glrnb", "stsNewport", "cases", list(c.ARL = 3, ret = "cases", M = 26), 209:400, alpha = 0.1),
  run_case("glrnb", "salmonella.agona", "cases_alpha_null", list(c.ARL = 2.5, ret = "cases", xMax = 40,
                                                                 Mtilde = 2), 105:200, alpha = NULL),
  run_case("glrnb", "salmonella.agona", "cases_dec", list(c.ARL = 1.5, ret = "cases", dir = "dec", xMax = 20,
                                                          M = 20), 105:160, alpha = 0.2),
  run_case("glrnb", "ha", "theta_cases", list(c.ARL = 2, theta = 0.7, ret = "cases"), 105:290, alpha = 0.5),
  # mu0 refitted after each alarm
  run_case("glrnb", "stsNewport", "refit", list(c.ARL = 3, M = 52, mu0 = list(refit = TRUE)), 209:500, alpha = 0.1)
)
write_json_file(nb, file.path(fixtures, "glrnb", "manifest.json"))
