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
