# Reference results of R's surveillance::nowcast on the package's husO104Hosp line list (the 2011
# HUS outbreak: dates of hospitalisation and of report), daily and weekly, for the closed-form
# methods unif, bayes.notrunc and bayes.trunc with the poisgamma prior.
#   tests/detect/fixtures/nowcast/<case>.json
# Each file holds the case's options (Python names), the reporting triangle's summaries (N.tT, n.x,
# N.x), each method's delay CDF, and for every date of `when` each method's predictive PMF with its
# median and interval. bayes.* average over nSamples draws of the delay distribution, so their PMFs
# agree with Yizhan's within sampling error only; everything else is exact.
#
# Run from the repository root:  Rscript scripts/r/fixtures_nowcast.R

suppressMessages(library(surveillance))
library(jsonlite)
source(file.path("scripts", "r", "common.R"))
data("husO104Hosp")
out_dir <- file.path("tests", "detect", "fixtures", "nowcast")
dir.create(out_dir, showWarnings = FALSE)
write.csv(data.frame(onset = format(husO104Hosp$dHosp), report = format(husO104Hosp$dReport)),
          file.path(out_dir, "husO104Hosp.csv"), row.names = FALSE, quote = FALSE)

cases <- list(
  list(name = "hus_daily_D15", now = "2011-06-02", when = c("2011-05-20", "2011-06-02"), D = 15, m = NULL,
       by = "1 day", max = 300, mean = 50, var = 3000, methods = c("bayes.trunc", "bayes.notrunc", "unif")),
  list(name = "hus_daily_D10_m10", now = "2011-05-28", when = c("2011-05-22", "2011-05-28"), D = 10, m = 10,
       by = "1 day", max = 500, mean = 40, var = 1600, methods = c("bayes.notrunc", "unif", "bayes.trunc")),
  list(name = "hus_weekly_D3", now = "2011-06-06", when = c("2011-05-23", "2011-06-06"), D = 3, m = NULL,
       by = "1 week", max = 800, mean = 200, var = 40000, methods = c("unif", "bayes.notrunc", "bayes.trunc"))
)
set.seed(20110602)
for (case in cases) {
  when <- seq(as.Date(case$when[1]), as.Date(case$when[2]), by = case$by)
  control <- list(N.tInf.prior = structure("poisgamma", mean.lambda = case$mean, var.lambda = case$var),
                  N.tInf.max = case$max, nSamples = 20000, predPMF = TRUE, alpha = 0.05, gd.prior.kappa = 0.1)
  # One call per method: R refuses m with several methods at once (its check is not vectorised).
  runs <- lapply(setNames(case$methods, case$methods), function(method) {
    invisible(capture.output(res <- suppressWarnings(suppressMessages(nowcast(
      now = as.Date(case$now), when = when, data = husO104Hosp, dEventCol = "dHosp", dReportCol = "dReport",
      method = method, aggregate.by = case$by, D = case$D, m = case$m, control = control)))))
    res
  })
  tri <- runs[[1]]@reportingTriangle
  support <- 0:case$max
  days <- names(runs[[1]]@predPMF)
  per_when <- lapply(days, function(d) {
    lapply(setNames(case$methods, case$methods), function(method) {
      pmf <- runs[[method]]@predPMF[[d]][[method]]
      cdf <- cumsum(pmf)
      list(pmf = pmf, median = support[which.max(cdf > 0.5)],
           lower = support[which.max(cdf > 0.025)], upper = support[which.max(cdf > 0.975)])
    })
  })
  names(per_when) <- days
  delay_cdf <- lapply(setNames(case$methods, case$methods), function(method) runs[[method]]@delayCDF[[method]])
  fixture <- list(
    data = "husO104Hosp.csv",
    options = list(now = case$now, when = format(when), D = case$D, m = case$m, aggregate_by = case$by,
                   N_tInf_max = case$max, mean_lambda = case$mean, var_lambda = case$var, n_samples = 20000,
                   gd_prior_kappa = 0.1, alpha = 0.05, methods = case$methods),
    dates = format(attr(tri, "t02s")), N_tT = as.numeric(attr(tri, "N.tT")), n_x = attr(tri, "n.x"),
    N_x = attr(tri, "N.x"), delay_cdf = delay_cdf, when = per_when
  )
  writeLines(toJSON(fixture, auto_unbox = TRUE, digits = NA, null = "null"),
             file.path(out_dir, paste0(case$name, ".json")))
  cat(case$name, "\n")
}
