"""Outbreak detection over count series: EARS C1–C3, Farrington, farringtonFlexible, CUSUM, the
CIDARS moving percentile method and fixed thresholds. Pure numpy/scipy/statsmodels; no Django.
"""
