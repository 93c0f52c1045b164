# Helpers shared by the fixture scripts in scripts/r/.

# Numbers at full precision, NA as an empty field.
num <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

# R control list -> Python option names (the control's range is not an option).
python_options <- function(control) {
  names_map <- c(b = "b", w = "w", alpha = "alpha", reweight = "reweight", trend = "trend",
                 limit54 = "limit54", powertrans = "powertrans", noPeriods = "no_periods",
                 pastWeeksNotIncluded = "past_weeks_not_included", weightsThreshold = "weights_threshold",
                 pThresholdTrend = "p_threshold_trend", thresholdMethod = "threshold_method",
                 populationOffset = "population_offset")
  control$range <- NULL
  out <- setNames(list(), character(0))
  for (k in names(control)) {
    v <- control[[k]]
    out[[names_map[[k]]]] <- if (length(v) > 1) as.list(v) else v
  }
  out
}

write_json_file <- function(cases, path) {
  writeLines(toJSON(cases, auto_unbox = TRUE, pretty = TRUE, digits = NA, null = "null"), path)
}

# An input panel of tests/detect/fixtures (period,series,count,population) as an sts with integer periods.
read_panel <- function(path, freq) {
  panel <- read.csv(path, stringsAsFactors = FALSE)
  series <- unique(panel$series)
  column <- function(v) matrix(sapply(series, function(s) panel[[v]][panel$series == s]),
                               ncol = length(series), dimnames = list(NULL, series))
  sts(observed = column("count"), population = column("population"), frequency = freq, start = c(2001, 1))
}

# A result CSV for the evaluated range (`fixtures` is the calling script's fixture folder).
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
